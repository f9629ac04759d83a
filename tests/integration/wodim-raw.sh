#!/bin/bash
# wodim burns audio in RAW mode (-raw96r, -raw96p, -raw16); cdrdao reads the
# TOC back and finds the tracks where wodim put them. -dummy writes nothing.
source "$(dirname "$0")/lib.sh"

# Two tracks of 300 and 375 sectors (4 s and 5 s; wodim takes no shorter).
make_wav "$TMP/a.wav" 300 440
make_wav "$TMP/b.wav" 375 660
cd "$TMP"

for mode in raw96r raw96p raw16; do
        in_drivesim "burn-$mode" --drive cdr80 -- "
                run wodim-$mode 0 wodim -v gracetime=0 -$mode dev=/dev/sr0 -audio a.wav b.wav
                run toc-$mode 0 cdrdao read-toc --device /dev/sr0 --datafile data.bin toc-$mode.toc
                ctl 'sr0 state' > state-$mode.out"
        # wodim's own account: two audio tracks of these sizes.
        expect "wodim-$mode" 'Track 01: audio +0 MB \(00:04\.00\)' "track 1 size"
        expect "wodim-$mode" 'Track 02: audio +0 MB \(00:05\.00\)' "track 2 size"
        expect "wodim-$mode" 'Starting new track at sector: 300' "track 2 start"
        # Track 1 at LBA 0 with 300 sectors, track 2 right after it; wodim's default
        # 2 s pause before track 2 is the end of track 1 (index 00 in the Q channel),
        # which cdrdao finds by reading the subchannel.
        expect "toc-$mode" '^ *1 +AUDIO +[0-9]+ +00:00:00\( +0\) +00:04:00\( +300\)' "track 1 read back"
        expect "toc-$mode" '^ *2 +AUDIO +[0-9]+ +00:04:00\( +300\) +00:05:00\( +375\)' "track 2 read back"
        expect "toc-$mode" '^Leadout +AUDIO +[0-9]+ +00:09:00\( +675\)' "lead-out read back"
        expect "toc-$mode" 'Found pre-gap: 00:02:00' "track 2 pause"
        expect "state-$mode" '^disc=complete$' "disc state"
done

# -dummy: the whole write in test mode; the disc stays blank.
in_drivesim dummy --drive cdr80 -- "
        run wodim-dummy 0 wodim -dummy gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav b.wav
        ctl 'sr0 state' > state-dummy.out"
expect state-dummy '^disc=blank$' "disc state after -dummy"
