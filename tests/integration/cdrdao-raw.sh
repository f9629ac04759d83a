#!/bin/bash
# cdrdao writes a TOC file with its generic-mmc-raw driver, at a chosen speed,
# with the drive burning in real time or as fast as it can; it reads the TOC
# back. "cdrdao simulate" leaves the disc blank.
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
make_wav "$TMP/b.wav" 225 660
cat >"$TMP/x.toc" <<'TOC'
CD_DA
TRACK AUDIO
FILE "a.wav" 0
TRACK AUDIO
PREGAP 00:02:00
FILE "b.wav" 0
TOC
cd "$TMP"

for spec in cdr80 cdr80,realtime,speed=48; do
        name=${spec//[,=]/-}
        in_drivesim "burn-$name" --drive "$spec" -- "
                run write-$name 0 cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw --speed 16 x.toc
                run toc-$name 0 cdrdao read-toc --device /dev/sr0 --datafile data.bin toc-$name.toc
                ctl 'sr0 state' > state-$name.out"
        expect "write-$name" 'Writing track 02' "progress"
        expect "write-$name" 'Writing lead-out' "lead-out"
        expect_not "write-$name" 'ERROR' "errors"
        expect "toc-$name" '^ *1 +AUDIO +[0-9]+ +00:00:00\( +0\) +00:04:00\( +300\)' "track 1 read back"
        expect "toc-$name" '^ *2 +AUDIO +[0-9]+ +00:06:00\( +450\) +00:03:00\( +225\)' "track 2 read back"
        expect "state-$name" '^disc=complete$' "disc state"
done

in_drivesim simulate --drive cdr80 -- "
        run simulate 0 cdrdao simulate -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-simulate.out"
expect simulate 'Simulation|simulation' "simulation run"
expect state-simulate '^disc=blank$' "disc state after simulate"
