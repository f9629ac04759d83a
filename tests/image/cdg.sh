#!/bin/bash
# CD+G (program-area R-W packs) through `rawburnctl image create` and
# `image inspect`. A .cdg is made here; the image's R-W are checked by a
# de-interleaver and a GF(64) parity check written below in Python from the
# Red Book definition (IEC 60908: packs of 24 six-bit symbols, Q-parity
# RS(4,2) over symbols 0-3, P-parity RS(24,20) over 0-23, x^6+x+1; swaps
# 1<->18, 2<->5, 3<->23 then a delay of (column & 7) packs), not by rawburn.
#   cdg.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 song.wav synth 5 sine 440 gain -3 # 375 sectors
sox song.wav -t raw -e signed -b 16 -L song.pcm

# song.cdg: 375 sectors x 4 packs; every 4th pack empty (zero), the others
# CD+G (mode 1 item 1 = 0x09) with instruction 6 (tile block) and data
# symbols from a counter. Parity symbols are left zero, as many .cdg files
# have them. song.bin: the same audio as 2448-byte CDG sectors; song-be.bin:
# with big-endian samples for a cdrdao TOC.
$py - <<'PY'
pcm = open("song.pcm", "rb").read()
sectors = 375
assert len(pcm) == sectors * 2352
cdg = bytearray()
n = 0
for p in range(sectors * 4):
    pack = bytearray(24)
    if p % 4 != 3:
        pack[0] = 0x09
        pack[1] = 0x06
        for i in range(4, 20):
            pack[i] = (p * 7 + i * 13 + n) & 0x3f
        n += 1
    cdg += pack
open("song.cdg", "wb").write(cdg)
le = bytearray(); be = bytearray()
for s in range(sectors):
    a = pcm[s * 2352:(s + 1) * 2352]
    sw = bytearray(a); sw[0::2], sw[1::2] = a[1::2], a[0::2]
    le += a + cdg[s * 96:(s + 1) * 96]
    be += sw + cdg[s * 96:(s + 1) * 96]
open("song.bin", "wb").write(le)
open("song-be.bin", "wb").write(be)
print(n)
PY
CDG_PACKS=$((375 * 3))

cat > wav.cue <<'CUE'
FILE "song.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
cat > bin.cue <<'CUE'
FILE "song.bin" BINARY
  TRACK 01 CDG
    INDEX 01 00:00:00
CUE
cat > song.toc <<'TOC'
CD_DA
TRACK AUDIO RW
FILE "song-be.bin" 0
TOC

echo "== WAV + .cdg next to it, raw (interleaved with parity)"
"$ctl" image create wav.cue -o wav.raw 2> wav.err > /dev/null
grep -q "CD+G packs taken from ./song.cdg" wav.err || fail "no note about the .cdg: $(cat wav.err)"
"$ctl" image create --dry-run wav.cue 2>/dev/null | grep -q "R-W packs (CD+G) from ./song.cdg" ||
        fail "dry run does not show the .cdg"
"$ctl" image inspect wav.raw > wav.txt
grep -q "CD+G packs: $CDG_PACKS (R-W interleaved with parity: $CDG_PACKS packs, 0 parity errors)" wav.txt ||
        fail "inspect: $(grep -i 'r-w\|cd+g' wav.txt)"

echo "== the same image from a 2448-byte CDG BIN and from a cdrdao TOC with RW"
"$ctl" image create bin.cue -o bin.raw 2>/dev/null >/dev/null
"$ctl" image create song.toc -o toc.raw 2>/dev/null >/dev/null
cmp wav.raw bin.raw || fail "CDG BIN image differs from WAV + .cdg"
cmp wav.raw toc.raw || fail "TOC RW image differs from WAV + .cdg"

echo "== cooked: the packs as given, no parity, no interleave"
"$ctl" image create --sector-type cooked wav.cue -o cooked.raw 2>/dev/null >/dev/null
"$ctl" image inspect --json cooked.raw > cooked.json
$py - cooked.json <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["tracks"][0]["rw"]
assert t["form"] == "deinterleaved" and t["cdg_packs"] == 1125, t
PY

echo "== independent de-interleave and parity check of the raw image"
$py - wav.raw cooked.raw song.cdg <<'PY'
import sys
raw, cooked, cdg = (open(f, "rb").read() for f in sys.argv[1:4])
SS, FIRST = 2448, -22650
def rw(img, lba):  # the 96 R-W symbols of a sector
    o = (lba - FIRST) * SS + 2352
    return bytes(b & 0x3f for b in img[o:o + 96])
# GF(64), x^6 + x + 1, alpha = 2
exp = [1]
for _ in range(62):
    v = exp[-1] << 1
    exp.append(v ^ 0x43 if v & 0x40 else v)
log = {v: i for i, v in enumerate(exp)}
def mul(a, b):
    return 0 if not a or not b else exp[(log[a] + log[b]) % 63]
def syndromes(word, rows):
    n = len(word)
    return [sum_x(mul(word[i], exp[(k * (n - 1 - i)) % 63]) for i in range(n)) for k in range(rows)]
def sum_x(it):
    r = 0
    for v in it:
        r ^= v
    return r
# Program-area stream from LBA 0 (the audio and .cdg start there) on.
sectors = 375 + 3
stream = b"".join(rw(raw, lba) for lba in range(0, sectors))
swap = {1: 18, 18: 1, 2: 5, 5: 2, 3: 23, 23: 3}
for p in range(375 * 4):
    pack = []
    for col in range(24):
        c = swap.get(col, col)
        pack.append(stream[(p + (c & 7)) * 24 + c])
    want = cdg[p * 24:(p + 1) * 24]
    if pack[0] != want[0] or pack[1] != want[1] or bytes(pack[4:20]) != want[4:20]:
        sys.exit(f"FAIL: pack {p} data differs: {pack} vs {list(want)}")
    if any(syndromes(pack[0:4], 2)) or any(syndromes(pack, 4)):
        sys.exit(f"FAIL: pack {p} parity does not check: {pack}")
# Nothing before the track's packs: the pause has zero R-W.
for lba in range(-150, 0):
    if any(rw(raw, lba)):
        sys.exit(f"FAIL: R-W in the pause at LBA {lba}")
# Cooked: the .cdg as it stands at LBA 0..374.
for lba in range(375):
    if rw(cooked, lba) != bytes(b & 0x3f for b in cdg[lba * 96:(lba + 1) * 96]):
        sys.exit(f"FAIL: cooked R-W at LBA {lba} is not the .cdg")
print("R-W packs check")
PY

echo "== cdrdao RW_RAW: R-W as recorded, written exactly as given"
# The raw image's own R-W of LBA 0..374 (interleaved, with parity), one
# symbol broken on purpose, after big-endian audio: a cdrdao AUDIO RW_RAW file.
$py - wav.raw song.pcm <<'PY'
import sys
img, pcm = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
out = bytearray()
for lba in range(375):
    o = (lba + 22650) * 2448
    a = pcm[lba * 2352:(lba + 1) * 2352]
    sw = bytearray(a); sw[0::2], sw[1::2] = a[1::2], a[0::2]
    rw = bytearray(b & 0x3f for b in img[o + 2352:o + 2448])
    if lba == 100:
        rw[40] ^= 0x15  # a parity the drive would not have written: kept all the same
    out += sw + bytes(b | 0xC0 for b in rw)  # P/Q bits in the file are ignored
open("song-rwraw.bin", "wb").write(out)
PY
printf 'CD_DA
TRACK AUDIO RW_RAW
FILE "song-rwraw.bin" 0
' > rwraw.toc
"$ctl" image create rwraw.toc -o rwraw.raw > /dev/null 2> rwraw.err || fail "RW_RAW: $(cat rwraw.err)"
$py - wav.raw rwraw.raw <<'PY'
import sys
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
assert len(a) == len(b)
for lba in range(-22650, 375 + 6750):
    o = (lba + 22650) * 2448
    sa, sb = a[o:o + 2448], b[o:o + 2448]
    if lba in (375, 376):  # the first image's packs spill here; RW_RAW gave none
        sa, sb = sa[:2352] + bytes(x & 0xC0 for x in sa[2352:]), sb[:2352] + bytes(x & 0xC0 for x in sb[2352:])
    want = sa
    if lba == 100:
        want = bytearray(sa); want[2352 + 40] ^= 0x15
    if bytes(want) != sb:
        sys.exit(f"FAIL: RW_RAW image differs at LBA {lba}")
print("RW_RAW written as given")
PY
if "$ctl" image create -t cooked rwraw.toc -o x.raw 2> rwc.err > /dev/null; then fail "cooked RW_RAW accepted"; fi
grep -q "RW_RAW: interleaved, with parity) needs sector type raw" rwc.err || fail "$(cat rwc.err)"

echo "== refusals"
if "$ctl" image create --sector-type pq wav.cue -o pq.raw 2> pq.err >/dev/null; then fail "pq with CD+G accepted"; fi
grep -q "need sector type raw or cooked" pq.err || fail "pq: $(cat pq.err)"
printf 'FILE "song.wav" WAVE\n  TRACK 01 CDG\n    INDEX 01 00:00:00\n' > bad.cue
if "$ctl" image create bad.cue -o bad.raw 2> bad.err >/dev/null; then fail "CDG track in a WAVE accepted"; fi
grep -q "bad.cue:2: a CDG track needs a BINARY file" bad.err || fail "bad: $(cat bad.err)"
echo OK
