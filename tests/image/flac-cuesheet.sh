#!/bin/bash
# A single FLAC with an embedded CUESHEET block (written by metaflac, the
# reference FLAC tool) burns as the same disc as the cue sheet it came from.
#   flac-cuesheet.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 t1.wav synth 5 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 t2.wav synth 6 sine 550 gain -3
sox -n -r 44100 -c 2 -b 16 t3.wav synth 4.6 sine 660 gain -3
sox t1.wav t2.wav t3.wav album.wav
flac -s -o album.flac album.wav
cp album.flac plain.flac

cat > album.cue <<'CUE'
CATALOG 4006381333931
FILE "album.flac" WAVE
  TRACK 01 AUDIO
    ISRC USABC2600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    FLAGS PRE
    ISRC USABC2600002
    INDEX 00 00:04:00
    INDEX 01 00:05:00
    INDEX 02 00:08:00
  TRACK 03 AUDIO
    INDEX 01 00:11:00
CUE
metaflac --import-cuesheet-from=album.cue album.flac

echo "== embedded CUESHEET = the cue sheet"
"$ctl" image create album.cue -o cue.raw 2>/dev/null >/dev/null
"$ctl" image create album.flac -o flac.raw 2> flac.err >/dev/null
grep -q "3 tracks from its embedded CUESHEET" flac.err || fail "no note: $(cat flac.err)"
cmp cue.raw flac.raw || fail "images differ"
"$ctl" image inspect --json flac.raw | $py -c '
import json, sys
d = json.load(sys.stdin)
t = d["tracks"]
assert d["mcn"] == "4006381333931", d["mcn"]
assert [x["number"] for x in t] == [1, 2, 3], t
assert t[0]["isrc"] == "USABC2600001" and t[1]["control"] & 1, t
assert [i["index"] for i in t[1]["indexes"]] == [0, 1, 2], t[1]
'

echo "== a FLAC without CUESHEET is one track"
"$ctl" image create --dry-run plain.flac 2>/dev/null | grep -c "^track" | grep -qx 1 || fail "plain FLAC"

echo "== a damaged CUESHEET is an error naming the file"
$py - album.flac bad.flac <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = 4
while True:
    head, n = d[at], int.from_bytes(d[at + 1:at + 4], "big")
    if head & 0x7f == 5:
        d[at + 4 + 395] = 40  # 40 tracks claimed, 4 present
        break
    at += 4 + n
    assert not head & 0x80
open(sys.argv[2], "wb").write(d)
PY
if "$ctl" image create bad.flac -o bad.raw 2> bad.err >/dev/null; then fail "damaged CUESHEET accepted"; fi
grep -q "bad.flac: CUESHEET: track .* cut short" bad.err || fail "bad: $(cat bad.err)"
echo OK
