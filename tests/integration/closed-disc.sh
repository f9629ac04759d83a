#!/bin/bash
# A finished CD-R takes no second burn, as on hardware. wodim and cdrdao eject a
# disc they have just written and load it again (stdin is empty; page 2Ah reports a
# tray loader, so neither waits for a person): the disc stays in the open tray and
# comes back written. In one drivesim session, cdrdao and wodim then refuse it, as
# they do on a drive after a reload; and a later run that reloads the disc from the
# state dir ("kept") shows it written too.
source "$(dirname "$0")/lib.sh"

make_one_track_album
cd "$TMP"
mkdir state

in_drivesim session --state-dir state --drive cdr80,kept -- "
        run first 0 wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav </dev/null
        ctl 'sr0 state' > state-after-burn.out
        run info 0 cdrdao disk-info --device /dev/sr0
        run cdrdao-write nonzero cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc </dev/null
        run wodim-write nonzero wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav </dev/null
        ctl 'sr0 state' > state-end.out"
# wodim ejected and reloaded the disc itself, without asking for a person.
expect_not first 'Re-load disk and hit' "wodim prompt for a manual reload"
expect state-after-burn '^disc=complete$' "disc state after the burn"
expect state-after-burn '^tray=closed$' "tray after wodim's reload"
expect info '^CD-R empty +: no' "written disc is not blank"
# cdrdao 1.2.4 ejects and reloads a written disc, then refuses it.
expect cdrdao-write 'Disk seems to be written' "cdrdao's complete-disc path"
expect cdrdao-write 'Reloading disk' "cdrdao's reload"
expect cdrdao-write 'Inserted disk is not empty and not appendable' "cdrdao's refusal after the reload"
expect_not cdrdao-write 'Writing track 01' "second burn by cdrdao"
expect_not cdrdao-write 'Unit not ready' "cdrdao waiting for the disc"
expect wodim-write 'Drive needs to reload the media' "wodim's complete-disc path"
expect_not wodim-write 'Re-load disk and hit' "wodim prompt for a manual reload"
expect_not wodim-write 'Starting new track' "second burn by wodim"
expect state-end '^disc=complete$' "disc state at the end"

# The kept disc, loaded again by a new drivesim: still written.
in_drivesim kept --state-dir state --drive cdr80,kept -- "
        run info-kept 0 cdrdao disk-info --device /dev/sr0"
expect info-kept '^CD-R empty +: no' "kept disc is not blank"
