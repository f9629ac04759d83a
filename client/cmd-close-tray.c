/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl close-tray [DRIVE] */
#include "drive-command.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

int cmd_close_tray(int argc, char **argv)
{
        static const drive_method close_tray = {
            .command = "close-tray",
            .description = "Closes the drive's tray (IMAPI2 CloseTray; polkit action "
                           "org.rawburn1.eject). Slot-loading drives cannot.",
            .interface = RAWBURN_RECORDER_IFACE,
            .method = "CloseTray",
            .pick = PICK_ONLY,
            .done = "tray closed",
        };
        return run_drive_method(argc, argv, &close_tray);
}
