/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rawburnctl cancel [DRIVE] */
#include "drive-command.h"
#include "rawburn-bus.h"
#include "rawburnctl.h"

int cmd_cancel(int argc, char **argv)
{
        static const drive_method cancel = {
            .command = "cancel",
            .description =
                "Stops the burn running on the drive (IMAPI2 CancelWrite): the burning program\n"
                "gets RequestCancelled. A CD-R is spoilt, a CD-RW must be erased. Another\n"
                "user's burn needs polkit action org.rawburn1.cancel-other. Without DRIVE: the\n"
                "only drive, or the only one burning.",
            .interface = RAWBURN_RAWCD_IFACE,
            .method = "CancelWrite",
            .pick = PICK_WRITING,
            .done = "cancelling the burn; the disc is left as far as it was written",
        };
        return run_drive_method(argc, argv, &cancel);
}
