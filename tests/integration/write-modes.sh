#!/bin/bash
# Drives with fewer write modes (SPEC key modes=): wodim finds them with its MODE SELECT
# probes and refuses what the drive lacks; cdrdao's raw driver falls back along its block
# types or gives up; cdrskin refuses simulation where the drive reports none. The disc is
# left blank whenever the tool gave up.
source "$(dirname "$0")/lib.sh"

make_one_track_album
cd "$TMP"

# What wodim's probes find (check_writemodes_mmc), per drive.
declare -A wodim_modes=(
        [default]='TAO SAO RAW/R16 RAW/R96P RAW/R96R'
        ['modes=sao,tao']='TAO SAO'
        ['modes=raw96p,raw16,sao']='SAO RAW/R16 RAW/R96P'
        ['modes=raw16']='RAW/R16'
)
for modes in "${!wodim_modes[@]}"; do
        spec=cdr80
        [ "$modes" = default ] || spec="cdr80,$modes"
        name=checkdrive-${modes//[=,]/-}
        run "$name" 0 "$DRIVESIM" --drive "$spec" -- wodim -checkdrive dev=/dev/sr0
        expect "$name" "^Supported modes: ${wodim_modes[$modes]} *\$" "wodim's modes for $spec"
done

# No raw writing at all: -raw96r is refused before anything is written.
in_drivesim no-raw --drive cdr80,modes=sao,tao -- "
        run wodim-no-raw nonzero wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
        run cdrdao-no-raw nonzero cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-no-raw.out"
expect wodim-no-raw 'Drive does not support RAW recording' "wodim's refusal"
# cdrdao tries block types 1, 3 and 2 and then stops.
expect cdrdao-no-raw 'Cannot setup disk-at-once writing for this drive' "cdrdao's refusal"
expect state-no-raw '^disc=blank$' "disc state"
expect state-no-raw '^modes=sao,tao$' "the drive's modes"

# No R96R: wodim names the way out, and -raw96p burns.
in_drivesim no-r96r --drive cdr80,modes=raw96p,raw16,sao -- "
        run wodim-no-r96r nonzero wodim gracetime=0 -raw96r dev=/dev/sr0 -audio a.wav
        ctl 'sr0 state' > state-no-r96r-before.out
        run wodim-r96p 0 wodim gracetime=0 -raw96p dev=/dev/sr0 -audio a.wav
        ctl 'sr0 state' > state-no-r96r.out"
expect wodim-no-r96r 'Drive does not support RAW/RAW96R' "wodim's refusal"
expect wodim-no-r96r 'Try -raw96p option' "wodim's hint"
expect state-no-r96r-before '^disc=blank$' "disc state after the refusal"
expect state-no-r96r '^disc=complete$' "disc state after -raw96p"
expect state-no-r96r '^block_type=2$' "block type of the burn"

# cdrdao's raw driver starts with block type 1, then 3, then 2: on a drive with R96P only
# it ends up there and burns.
in_drivesim cdrdao-r96p --drive cdr80,modes=raw96p -- "
        run cdrdao-r96p 0 cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-cdrdao-r96p.out"
expect cdrdao-r96p 'Writing finished successfully' "cdrdao's verdict"
expect state-cdrdao-r96p '^disc=complete$' "disc state"
expect state-cdrdao-r96p '^block_type=2$' "the block type cdrdao settled on"

# No Test Write in RAW (SAO still simulates, so page 2Ah and feature 002Eh say the drive
# can): the tools learn it from the refused MODE SELECT and stop; nothing is recorded.
in_drivesim notest-raw --drive cdr80,modes=notest-raw -- "
        run wodim-notest-raw nonzero wodim gracetime=0 -dummy -raw96r dev=/dev/sr0 -audio a.wav
        run cdrdao-notest-raw nonzero cdrdao simulate -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-notest-raw.out"
expect wodim-notest-raw 'Sense Code: 0x26 Qual 0x00 \(invalid field in parameter list\)' "the refused MODE SELECT"
expect wodim-notest-raw 'Cannot open new session' "wodim's verdict"
expect cdrdao-notest-raw 'Cannot setup disk-at-once writing for this drive' "cdrdao's verdict"
expect state-notest-raw '^disc=blank$' "disc state"
# A simulation leaves the disc blank too: no WRITE was taken at all.
expect state-notest-raw '^sectors_written=0$' "no WRITE taken"

# Page 2Ah's Test Write bit as wodim -prcap shows it: set while some write type simulates.
run prcap-notest 0 "$DRIVESIM" --drive cdr80,modes=notest -- wodim -prcap dev=/dev/sr0
expect prcap-notest '^  Does not support test writing$' "page 2Ah without Test Write"
run prcap-notest-raw 0 "$DRIVESIM" --drive cdr80,modes=notest-raw -- wodim -prcap dev=/dev/sr0
expect prcap-notest-raw '^  Does support test writing$' "page 2Ah with SAO's Test Write"

# No Test Write at all: page 2Ah says so and cdrskin refuses to simulate; wodim's first
# MODE SELECT with the Test Write bit fails.
in_drivesim notest --drive cdr80,modes=notest -- "
        run cdrskin-notest nonzero cdrskin gracetime=0 -dummy -sao dev=/dev/sr0 -audio a.wav
        run wodim-notest nonzero wodim gracetime=0 -dummy -raw96r dev=/dev/sr0 -audio a.wav
        ctl 'sr0 state' > state-notest.out"
expect cdrskin-notest 'simulation of write job not supported by drive and media' "cdrskin's refusal"
expect wodim-notest 'Cannot init drive' "wodim's verdict"
expect state-notest '^disc=blank$' "disc state"
expect state-notest '^sectors_written=0$' "no WRITE taken"

# cdrskin 1.5.4 goes on after its MODE SELECT with Test Write in SAO is refused, with the
# page still SAO without it: -dummy then burns the disc for real. The reason a burner must
# confirm simulation by MODE SELECT and stop when it is refused.
in_drivesim notest-sao --drive cdr80,modes=notest-sao -- "
        run cdrskin-notest-sao any cdrskin gracetime=0 -dummy -sao dev=/dev/sr0 -audio a.wav
        ctl 'sr0 state' > state-notest-sao.out"
expect state-notest-sao '^disc=complete$' "disc state after cdrskin -dummy"
expect state-notest-sao '^test_write=no$' "page 05h without Test Write"
