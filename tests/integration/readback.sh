#!/bin/bash
# What wodim burned reads back through other readers: cdrdao read-cd returns
# the very audio samples (READ CD), and libcdio's cd-info finds the tracks
# through the kernel's cdrom ioctls (which drivesim answers with READ TOC).
# The disc exported with "srN export" loads again as cdrom:FILE.
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
make_wav "$TMP/b.wav" 375 660
cd "$TMP"

in_drivesim burn --drive cdr80 -- "
        run wodim 0 wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav b.wav
        run read-cd 0 cdrdao read-cd --device /dev/sr0 --datafile out.bin out.toc
        run cd-info 0 cd-info --no-device-info --no-cddb -C /dev/sr0
        ctl 'sr0 export disc.dao96' > export.out"

# cdrdao keeps audio big-endian in its data file: the same samples as the WAVs.
sox a.wav -t raw -B a.be
sox b.wav -t raw -B b.be
cat a.be b.be > expected.be
cmp expected.be out.bin || fail "read-cd: the audio read back differs from what was burned"
expect read-cd 'Reading of toc and track data finished successfully' "cdrdao's verdict"

# cd-info: MSF (with the 2 s offset) and LSN of each track and the lead-out.
expect cd-info '^ +1: 00:02:00 +000000 audio' "track 1"
expect cd-info '^ +2: 00:06:00 +000300 audio' "track 2"
expect cd-info '^170: 00:11:00 +000675 leadout' "lead-out"
expect cd-info '^Disc mode is listed as: CD-DA' "disc mode"
expect cd-info '^Last CD Session LSN: 0' "single session (CDROMMULTISESSION)"

# The exported disc image comes back as a finished disc with the same TOC.
run toc-image 0 "$DRIVESIM" --drive "cdrom:$TMP/disc.dao96" -- \
        cdrdao read-toc --device /dev/sr0 --datafile data.bin image.toc
expect toc-image '^ *1 +AUDIO +[0-9]+ +00:00:00\( +0\) +00:04:00\( +300\)' "track 1 of the image"
expect toc-image '^ *2 +AUDIO +[0-9]+ +00:04:00\( +300\) +00:05:00\( +375\)' "track 2 of the image"
expect toc-image '^Leadout +AUDIO +[0-9]+ +00:09:00\( +675\)' "lead-out of the image"
