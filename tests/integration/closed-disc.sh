#!/bin/bash
# A finished CD-R takes no second burn, as on hardware: after a burn, a later
# run that reloads the disc from the state dir ("kept") shows it written, and
# cdrdao and wodim both see from READ DISC INFORMATION that it is complete.
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
cat >"$TMP/x.toc" <<'TOC'
CD_DA
TRACK AUDIO
FILE "a.wav" 0
TOC
cd "$TMP"
mkdir state

run first 0 "$DRIVESIM" --state-dir state --drive cdr80,kept -- \
        wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav

# Both tools then eject the disc to reload it (stdin is empty, so they do not
# wait for a person), and the disc leaves with the tray: each gets its own copy.
cp -a state state-wodim
in_drivesim cdrdao-again --state-dir state --drive cdr80,kept -- "
        run info 0 cdrdao disk-info --device /dev/sr0
        run cdrdao-write nonzero cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc </dev/null"
expect info '^CD-R empty +: no' "kept disc is not blank"
expect cdrdao-write 'Disk seems to be written' "cdrdao's complete-disc path"
expect_not cdrdao-write 'Writing track 01' "second burn"

run wodim-write nonzero "$DRIVESIM" --state-dir state-wodim --drive cdr80,kept -- \
        wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav </dev/null
expect wodim-write 'Drive needs to reload the media' "wodim's complete-disc path"
expect_not wodim-write 'Starting new track' "second burn"
