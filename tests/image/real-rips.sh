#!/bin/bash
# The shapes real rippers write that issue 17 found burned wrong or refused:
# track-1 PREGAP added to the disc's 2 s pause (EAC, whipper), checked
# against cdrdao's reading of the same sheet and against a REM DISCID
# computed here from cdrdao's track starts; Windows file names; what is
# overridden or dropped is said with its line, all-zero MCN/ISRC not burned.
#   real-rips.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 t1.wav synth 5 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 t2.wav synth 6 sine 550 gain -3
sox -n -r 44100 -c 2 -b 16 t3.wav synth 4 sine 660 gain -3
sox t1.wav t2.wav t3.wav album.wav
sox album.wav -t raw -e signed -b 16 -L album.bin

# Track starts (LBA) and the lead-out as rawburnctl places them.
our_starts() {
        "$ctl" image create --dry-run "$1" 2>/dev/null | sed -n 's/^track .* (LBA \(-\?[0-9]*\)).*/\1/p; s/^lead-out: .*(LBA \([0-9]*\)).*/\1/p' | tr '\n' ' '
}
# The same from cdrdao's reading of the sheet (START of each track, END of the last).
cdrdao_starts() {
        cdrdao show-toc "$1" 2>&1 | awk '/START/ { gsub(/[()]/, " "); print $3 } /END/ { gsub(/[()]/, " "); e = $3 } END { print e }' | tr '\n' ' '
}
# freedb disc ID of track starts + lead-out given as LBAs (the CDDB algorithm, written here).
discid() {
        $py - "$@" <<'PY'
import sys
lba = [int(x) for x in sys.argv[1:]]
sec = [(x + 150) // 75 for x in lba]
n = sum(sum(int(d) for d in str(s)) for s in sec[:-1])
print("%08X" % ((n % 255) << 24 | (sec[-1] - sec[0]) << 8 | (len(lba) - 1)))
PY
}

echo "== track-1 PREGAP is added to the 150-sector pause (EAC 00:00:32, whipper 03:22:70)"
for pregap in 00:00:32 03:22:70; do
        sheet=pregap-${pregap//:/}.cue
        cat > $sheet <<CUE
REM COMMENT "ExactAudioCopy v1.6"
FILE "album.bin" BINARY
  TRACK 01 AUDIO
    PREGAP $pregap
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 01 00:05:00
  TRACK 03 AUDIO
    INDEX 01 00:11:00
CUE
        ours=$(our_starts $sheet)
        theirs=$(cdrdao_starts $sheet)
        [ "$ours" = "$theirs" ] || fail "$sheet: rawburnctl $ours, cdrdao $theirs"
        frames=$((10#${pregap:0:2} * 4500 + 10#${pregap:3:2} * 75 + 10#${pregap:6:2}))
        [ "${ours%% *}" = "$frames" ] || fail "$sheet: track 1 at LBA ${ours%% *}, want $frames"
        # The sheet's DISCID, as the ripper computed it from the real disc, agrees: no warning.
        id=$(discid $theirs)
        sed -i "1i REM DISCID $id" $sheet
        "$ctl" image create --dry-run $sheet > /dev/null 2> $sheet.err
        [ ! -s $sheet.err ] || fail "$sheet: $(cat $sheet.err)"
done
# Swallowed by the pause (the old reading), every track would start $frames early: the
# DISCID of that layout no longer matches, and the warning names the line and both IDs.
sed 's/^REM DISCID .*/REM DISCID 0B004103/' pregap-000032.cue > wrong-id.cue
"$ctl" image create --dry-run wrong-id.cue > /dev/null 2> wrong-id.err
want=$(discid $(our_starts pregap-000032.cue))
grep -q "wrong-id.cue:1: REM DISCID 0B004103, but this layout's freedb disc ID is $want" wrong-id.err ||
        fail "DISCID mismatch not said: $(cat wrong-id.err)"
# A PREGAP on track 1 before INDEX 00 audio (hidden track): the 150-sector pause, 75 of
# silence, then 375 of INDEX 00 audio, so INDEX 01 is at LBA 75 + 375 (cdrdao refuses the
# pair: "PREGAP allowed only once per track").
cat > htoa.cue <<'CUE'
FILE "album.bin" BINARY
  TRACK 01 AUDIO
    PREGAP 00:01:00
    INDEX 00 00:00:00
    INDEX 01 00:05:00
  TRACK 02 AUDIO
    INDEX 01 00:11:00
CUE
[ "$(our_starts htoa.cue)" = "450 900 1200 " ] || fail "htoa: $(our_starts htoa.cue)"

echo "== Windows file names: backslashes, a drive letter, and the words for a missing file"
mkdir -p Album
cp t1.wav "Album/01 - Intro.wav"
cp t2.wav "02 - Song.wav"
cat > windows.cue <<'CUE'
FILE "Album\01 - Intro.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
FILE "D:\Music\Album\02 - Song.wav" WAVE
  TRACK 02 AUDIO
    INDEX 01 00:00:00
CUE
"$ctl" image create windows.cue -o windows.raw > /dev/null 2> windows.err || fail "windows: $(cat windows.err)"
grep -qF "windows.cue:1: \"Album\\01 - Intro.wav\" not found, using ./Album/01 - Intro.wav (with '\\' as '/')" windows.err ||
        fail "backslash name not said: $(cat windows.err)"
grep -qF 'windows.cue:4: "D:\Music\Album\02 - Song.wav" not found, using ./02 - Song.wav (by its base name)' windows.err ||
        fail "drive-letter name not said: $(cat windows.err)"
printf 'FILE "t1.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\nFILE "t2.wav" WAVE\n  TRACK 02 AUDIO\n    INDEX 01 00:00:00\n' > plain.cue
"$ctl" image create plain.cue -o plain.raw > /dev/null 2>&1
cmp plain.raw windows.raw || fail "windows names give another image"
sed 's/02 - Song/03 - Gone/' windows.cue > missing.cue
if "$ctl" image create --dry-run missing.cue > /dev/null 2> missing.err; then fail "missing file accepted"; fi
grep -qF 'missing.cue:4: not found: D:\Music\Album\03 - Gone.wav (looked for: ./D:\Music\Album\03 - Gone.wav, ./03 - Gone.wav)' missing.err ||
        fail "missing: $(cat missing.err)"
# The same words for a cdrdao TOC's file and a CDTEXTFILE.
printf 'CD_DA\nTRACK AUDIO\nFILE "Album\\\\gone.wav" 0\n' > missing.toc
if "$ctl" image create --dry-run missing.toc > /dev/null 2> missing-toc.err; then fail "missing TOC file accepted"; fi
grep -qF 'missing.toc:3: not found: Album\gone.wav (looked for: ./Album\gone.wav, ./Album/gone.wav, ./gone.wav)' missing-toc.err ||
        fail "missing in TOC: $(cat missing-toc.err)"
sed '1i CDTEXTFILE "Album\\album.cdt"' plain.cue > missing-cdt.cue
if "$ctl" image create --dry-run missing-cdt.cue > /dev/null 2> missing-cdt.err; then fail "missing CDTEXTFILE accepted"; fi
grep -qF 'missing-cdt.cue:1: not found: Album\album.cdt (looked for: ./Album\album.cdt, ./Album/album.cdt, ./album.cdt)' missing-cdt.err ||
        fail "missing CDTEXTFILE: $(cat missing-cdt.err)"

# And for the files named on the command line.
for args in "gone.wav" "plain.cue --cdtext-v07t gone.v07t" "plain.cue --cdtext-file gone.cdt" "gone.ccd"; do
        if "$ctl" image create --dry-run $args > /dev/null 2> gone.err; then fail "$args accepted"; fi
        grep -q "not found: gone\." gone.err || fail "$args: $(cat gone.err)"
done

echo "== overridden and dropped items are said; all-zero MCN and ISRC are not burned"
cat > overrides.cue <<'CUE'
CATALOG 4006381333931
CATALOG 0000000000000
FILE "album.bin" BINARY
  TRACK 01 AUDIO
    ISRC USABC2600001
    ISRC USABC2600009
    INDEX 01 00:00:32
  TRACK 02 AUDIO
    ISRC 000000000000
    INDEX 01 00:05:00
CUE
"$ctl" image create --dry-run overrides.cue > overrides.out 2> overrides.err
for w in 'overrides.cue:2: a second CATALOG: 0000000000000 replaces 4006381333931' \
        'overrides.cue:2: CATALOG 0000000000000 means none: not burned' \
        'overrides.cue:6: a second ISRC for track 01: USABC2600009 replaces USABC2600001' \
        'overrides.cue:9: ISRC 000000000000 means none: not burned' \
        'overrides.cue:7: the 32 sectors before INDEX 01 of track 01 belong to no track: not burned'; do
        grep -qF "$w" overrides.err || fail "not said: $w ($(cat overrides.err))"
done
grep -q "^track 01 .*ISRC USABC2600009" overrides.out || fail "second ISRC not taken: $(cat overrides.out)"
grep -q "ISRC 0000" overrides.out && fail "zero ISRC burned: $(cat overrides.out)"
grep -qi "^MCN\|catalog" overrides.out && fail "zero MCN burned: $(cat overrides.out)"
# The same in a cdrdao TOC.
cat > overrides.toc <<'TOC'
CD_DA
CATALOG "4006381333931"
CATALOG "0000000000000"
TRACK AUDIO
ISRC "USABC2600001"
ISRC "000000000000"
FILE "album.bin" 0 00:05:00
TOC
"$ctl" image create --dry-run overrides.toc > overrides-toc.out 2> overrides-toc.err
for w in 'overrides.toc:3: a second CATALOG: 0000000000000 replaces 4006381333931' \
        'overrides.toc:3: CATALOG 0000000000000 means none: not burned' \
        'overrides.toc:6: a second ISRC for track 01: 000000000000 replaces USABC2600001' \
        'overrides.toc:6: ISRC 000000000000 means none: not burned'; do
        grep -qF "$w" overrides-toc.err || fail "not said: $w ($(cat overrides-toc.err))"
done
grep -qi "ISRC\|catalog" overrides-toc.out && fail "zero MCN/ISRC burned: $(cat overrides-toc.out)"
# cdrdao drops the 32 sectors too: the same track starts.
grep -v "USABC2600001\|^CATALOG 0" overrides.cue > drop.cue
[ "$(our_starts drop.cue)" = "$(cdrdao_starts drop.cue)" ] ||
        fail "drop: rawburnctl $(our_starts drop.cue), cdrdao $(cdrdao_starts drop.cue)"
echo OK
