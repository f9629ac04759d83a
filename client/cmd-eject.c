/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl eject [DRIVE] */
#include "drive-command.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

int cmd_eject(int argc, char **argv)
{
        static const drive_method eject = {
            .command = "eject",
            .description = "Opens the drive's tray (IMAPI2 EjectMedia; polkit action "
                           "org.rawburn1.eject). The disc stays in the open tray.",
            .interface = RAWBURN_RECORDER_IFACE,
            .method = "EjectMedia",
            .pick = PICK_ONLY,
            .done = "tray open",
        };
        return run_drive_method(argc, argv, &eject);
}
