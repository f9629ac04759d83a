#!/bin/bash
# A finished CD-R takes no second burn, as on hardware: in the same run, and
# in a later run that reloads the disc from the state dir ("kept").
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
cat >"$TMP/x.toc" <<'TOC'
CD_DA
TRACK AUDIO
FILE "a.wav" 0
TOC
cd "$TMP"
mkdir state

in_drivesim twice --state-dir state --drive cdr80,kept -- "
        run first 0 wodim -raw96r dev=/dev/sr0 -audio a.wav
        run second nonzero wodim -raw96r dev=/dev/sr0 -audio a.wav
        run second-cdrdao nonzero cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc"
expect second-cdrdao 'not empty and not appendable|not appendable' "cdrdao's refusal"

# The next run finds the finished disc again.
in_drivesim later --state-dir state --drive cdr80,kept -- "
        run later-info 0 cdrdao disk-info --device /dev/sr0
        run later-write nonzero cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc"
expect later-info '^CD-R empty +: no' "kept disc is not blank"
expect later-write 'not empty and not appendable|not appendable' "cdrdao's refusal"
