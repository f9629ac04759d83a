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
        expect "state-$name" '^underruns=0$' "no underrun"
        # 11634 lead-in + 825 + 6750 lead-out sectors in WRITEs of up to 27 blocks of 2368
        # bytes (712 at least); cdrdao ends a WRITE where each part of the disc ends.
        expect "state-$name" '^writes=715$' "WRITE count"
done
# The realtime drive filled its buffer and cdrdao kept it above half full (2 MiB hold
# 885 blocks of 2368 bytes); the burn took as long as 19209 sectors at 48x (5.34 s).
expect state-cdr80-realtime '^buffer_min_fill=(1[0-9]{6}|20[0-9]{5})$' "lowest fill"
first=$(sed -n 's/^first_write_ns=//p' "$TMP/state-cdr80-realtime.out")
finished=$(sed -n 's/^finished_ns=//p' "$TMP/state-cdr80-realtime.out")
elapsed_ms=$(((finished - first) / 1000000))
# Never faster than 48x: the model keeps the pace. A loaded CI host can delay
# drivesim itself (5.48 s seen), so the bound above only catches a model gone slow.
[ "$elapsed_ms" -ge 5330 ] && [ "$elapsed_ms" -le 8000 ] ||
        fail "the 48x burn took $elapsed_ms ms on the drive's clock, not 5336"
expect state-cdr80 '^buffer_min_fill=none$' "no buffer without realtime"

in_drivesim simulate --drive cdr80 -- "
        run simulate 0 cdrdao simulate -n --device /dev/sr0 --driver generic-mmc-raw x.toc
        ctl 'sr0 state' > state-simulate.out"
expect simulate 'Simulation|simulation' "simulation run"
expect state-simulate '^disc=blank$' "disc state after simulate"
