#!/bin/bash
# cdrdao writes a TOC file with its generic-mmc-raw driver, at a chosen speed,
# with the drive burning in real time or as fast as it can; it reads the TOC
# back. "cdrdao simulate" leaves the disc blank.
source "$(dirname "$0")/lib.sh"

make_wav "$TMP/a.wav" 300 440
make_wav "$TMP/b.wav" 375 660
cat >"$TMP/x.toc" <<'TOC'
CD_DA
TRACK AUDIO
FILE "a.wav" 0
TRACK AUDIO
PREGAP 00:02:00
FILE "b.wav" 0
TOC
cd "$TMP"

# As fast as the host sends at 16x; then a drive that burns in real time at 48x
# (WRITEs complete as its buffer drains, about 5 s for this disc).
for run_spec in "16 cdr80" "48 cdr80,realtime"; do
        speed=${run_spec% *}
        spec=${run_spec#* }
        name=${spec//[,=]/-}
        in_drivesim "burn-$name" --drive "$spec" -- "
                run write-$name 0 cdrdao write -n --device /dev/sr0 --driver generic-mmc-raw --speed $speed x.toc
                ctl 'sr0 state' > state-$name.out
                run toc-$name 0 cdrdao read-toc --device /dev/sr0 --datafile data.bin toc-$name.toc"
        expect "write-$name" 'Writing track 02' "progress"
        expect "write-$name" 'Writing lead-out' "lead-out"
        expect_not "write-$name" 'ERROR' "errors"
        # Track 1 (300 sectors) runs on through track 2's 150-sector PREGAP (index 00),
        # so the TOC gives it 450; track 2 starts at 450 with its 375 sectors.
        expect "toc-$name" '^ *1 +AUDIO +[0-9]+ +00:00:00\( +0\) +00:06:00\( +450\)' "track 1 read back"
        expect "toc-$name" '^ *2 +AUDIO +[0-9]+ +00:06:00\( +450\) +00:05:00\( +375\)' "track 2 read back"
        expect "toc-$name" '^Leadout +AUDIO +[0-9]+ +00:11:00\( +825\)' "lead-out read back"
        expect "toc-$name" 'Found pre-gap: 00:02:00' "track 2 pregap"
        expect "state-$name" '^disc=complete$' "disc state"
        expect "state-$name" "^write_speed=$speed\$" "the speed cdrdao asked for"
done

in_drivesim simulate --drive cdr80 -- "
        run simulate 0 cdrdao simulate -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-simulate.out"
expect simulate 'Simulation|simulation' "simulation run"
expect state-simulate '^disc=blank$' "disc state after simulate"
