#!/bin/bash
# wodim burns audio in RAW mode (-raw96r, -raw96p, -raw16); cdrdao reads the
# TOC back and finds the tracks where wodim put them. -dummy writes nothing.
source "$(dirname "$0")/lib.sh"

# Two tracks of 300 and 225 sectors (4 s and 3 s).
make_wav "$TMP/a.wav" 300 440
make_wav "$TMP/b.wav" 225 660
cd "$TMP"

for mode in raw96r raw96p raw16; do
        in_drivesim "burn-$mode" --drive cdr80 -- "
                run wodim-$mode 0 wodim -v -$mode dev=/dev/sr0 -audio a.wav b.wav
                run toc-$mode 0 cdrdao read-toc --device /dev/sr0 --datafile data.bin toc-$mode.toc
                ctl 'sr0 state' > state-$mode.out"
        # wodim's own account: two audio tracks of these sizes.
        expect "wodim-$mode" 'Track 01: audio +0 MB \(00:04\.00\)' "track 1 size"
        expect "wodim-$mode" 'Track 02: audio +0 MB \(00:03\.00\)' "track 2 size"
        # Track 1 at LBA 0 with 300 sectors; track 2 after the default 2 s pause.
        expect "toc-$mode" '^ *1 +AUDIO +[0-9]+ +00:00:00\( +0\) +00:04:00\( +300\)' "track 1 read back"
        expect "toc-$mode" '^ *2 +AUDIO +[0-9]+ +00:06:00\( +450\) +00:03:00\( +225\)' "track 2 read back"
        expect "state-$mode" '^disc=complete$' "disc state"
done

# -dummy: the whole write in test mode; the disc stays blank.
in_drivesim dummy --drive cdr80 -- "
        run wodim-dummy 0 wodim -dummy -raw96r dev=/dev/sr0 -audio a.wav b.wav
        ctl 'sr0 state' > state-dummy.out"
expect state-dummy '^disc=blank$' "disc state after -dummy"
