#!/bin/bash
# Sample-exact layout and bad input (issue 8): indexes up to 99, hidden
# track one audio (cue and TOC), POSTGAP, a file padded to whole sectors and
# the padding said, frames of 75 or more refused with the line, the CD-Text
# pack limit with a clear error, and a malformed sheet of every kind giving
# "file:line: reason".
#   layout-errors.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 a.wav synth 10 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 b.wav synth 5 sine 660 gain -3
sox -D -n -r 44100 -c 2 -b 16 long.wav trim 0 100

echo "== 99 indexes"
{
        echo 'FILE "long.wav" WAVE'
        echo '  TRACK 01 AUDIO'
        for i in $(seq 1 99); do
                printf '    INDEX %02d %02d:%02d:00\n' "$i" $(((i - 1) / 60)) $(((i - 1) % 60))
        done
} > idx.cue
"$ctl" image create idx.cue -o idx.raw > /dev/null
"$ctl" image inspect --json idx.raw > idx.json
$py - idx.json <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["tracks"][0]
got = [(e["index"], e["lba"]) for e in t["indexes"] if e["index"] >= 1]
want = [(i, (i - 1) * 75) for i in range(1, 100)]
if got != want:
    sys.exit(f"FAIL indexes: {got[:3]}…{got[-3:]} ({len(got)}), want {want[:3]}…{want[-3:]}")
PY
sed 's/INDEX 99 01:38:00/INDEX 99 01:38:00\n    INDEX 100 01:39:00/' idx.cue > idx100.cue
if "$ctl" image create --dry-run idx100.cue > /dev/null 2> idx100.err; then fail "INDEX 100 accepted"; fi
grep -q 'idx100.cue:102: "100" is not a number from 0 to 99' idx100.err || fail "$(cat idx100.err)"

echo "== hidden track one audio: cue INDEX 00 audio and TOC START give one image"
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:03:00\nFILE "b.wav" WAVE\n  TRACK 02 AUDIO\n    INDEX 01 00:00:00\n' > htoa.cue
printf 'CD_DA\nTRACK AUDIO\nFILE "a.wav" 0\nSTART 00:03:00\nTRACK AUDIO\nFILE "b.wav" 0\n' > htoa.toc
"$ctl" image create htoa.cue -o htoa.raw > /dev/null
"$ctl" image create htoa.toc -o htoa-toc.raw > /dev/null
cmp -s htoa.raw htoa-toc.raw || fail "HTOA: cue and TOC differ"
sox a.wav -t raw -e signed -b 16 -L a.pcm
$py - "$here" htoa.raw a.pcm <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import discimage as di
img, pcm = di.Image(sys.argv[2]), open(sys.argv[3], "rb").read()
def q(lba):
    x = di.q_of(img.sector(lba))
    return x[1], x[2]  # TNO, INDEX (BCD)
# Generated pause at -150..-1, the hidden audio from LBA 0 in track 1 index 0.
assert q(-150) == (1, 0) and q(-1) == (1, 0) and q(0) == (1, 0) and q(224) == (1, 0), \
    [q(x) for x in (-150, -1, 0, 224)]
assert q(225) == (1, 1), q(225)
got = b"".join(img.main(lba) for lba in range(0, 750))
assert got == pcm[:750 * 2352], "the hidden audio is not the file's first 3 s"
assert img.main(-150) == bytes(2352) and img.main(-1) == bytes(2352)
PY

echo "== POSTGAP: silence generated at the end of the track, inside it"
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    POSTGAP 00:02:00\nFILE "b.wav" WAVE\n  TRACK 02 AUDIO\n    INDEX 01 00:00:00\n' > post.cue
"$ctl" image create post.cue -o post.raw > /dev/null
"$ctl" image inspect --json post.raw > post.json
$py - "$here" post.json post.raw <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import discimage as di
t = json.load(open(sys.argv[2]))["tracks"]
assert (t[0]["start_lba"], t[0]["end_lba"]) == (0, 750 + 150 - 1), t[0]
assert t[1]["pause_lba"] is None and t[1]["start_lba"] == 900, t[1]
img = di.Image(sys.argv[3])
assert all(img.main(l) == bytes(2352) for l in range(750, 900)), "postgap not silent"
assert di.q_of(img.sector(899))[1:3] == bytes([1, 1]), "postgap not in track 1 index 1"
PY

echo "== a file that is not whole sectors is padded, and it is said"
sox -n -r 44100 -c 2 -b 16 odd.wav synth 7.0001 sine 500 gain -3
sox odd.wav -t raw -e signed -b 16 -L odd.pcm
pad=$(( (2352 - $(stat -c %s odd.pcm) % 2352) % 2352 ))
[ $pad != 0 ] || fail "odd.wav is whole sectors"
printf 'FILE "odd.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' > odd.cue
"$ctl" image create odd.cue -o odd.raw > /dev/null 2> odd.err
grep -q "odd.cue:1: odd.wav is not a whole number of 2352-byte sectors: its last sector is padded with $pad zero bytes" odd.err ||
        fail "padding not reported (want $pad bytes): $(cat odd.err)"
$py - "$here" odd.raw odd.pcm "$pad" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import discimage as di
img, pcm, pad = di.Image(sys.argv[2]), open(sys.argv[3], "rb").read(), int(sys.argv[4])
n = (len(pcm) + pad) // 2352
got = b"".join(img.main(l) for l in range(n))
assert got == pcm + bytes(pad), "padding is not silence after every sample"
assert img.main(n) == bytes(2352) and di.q_of(img.sector(n))[1] == 0xAA, "the lead-out follows"
PY

echo "== frames of 75 and more are refused with the line"
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:05:75\n' > f75.cue
printf 'CD_DA\nTRACK AUDIO\nFILE "a.wav" 0 00:09:75\n' > f75.toc
for s in f75.cue f75.toc; do
        if "$ctl" image create --dry-run $s > /dev/null 2> $s.err; then fail "$s accepted"; fi
done
grep -q 'f75.cue:5: "00:05:75": seconds must be < 60 and frames < 75' f75.cue.err || fail "$(cat f75.cue.err)"
grep -q 'f75.toc:3: "00:09:75": seconds must be < 60 and frames < 75' f75.toc.err || fail "$(cat f75.toc.err)"

echo "== the CD-Text pack limit, with a clear error"
sox -D -n -r 44100 -c 2 -b 16 many.wav trim 0 99
{
        echo 'TITLE "Ninety-nine short tracks"'
        echo 'FILE "many.wav" WAVE'
        for i in $(seq 1 99); do
                printf '  TRACK %02d AUDIO\n    TITLE "Track number %02d has a title long enough to fill packs"\n    INDEX 01 %02d:%02d:00\n' \
                        "$i" "$i" $(((i - 1) / 60)) $(((i - 1) % 60))
        done
} > many.cue
if "$ctl" image create --allow-short-tracks --dry-run many.cue > /dev/null 2> many.err; then
        fail "too much CD-Text accepted"
fi
grep -q "rawburnctl: CD-Text block 0 (English) needs more than the 256 packs a block holds (253 of text, 3 of size information), even with repeats written as TAB: shorten its text" many.err ||
        fail "$(cat many.err)"
# The same titles repeated: they fit when written as TAB.
sed 's/Track number [0-9]* has/Every track has/' many.cue > same.cue
"$ctl" image create --allow-short-tracks --dry-run same.cue > same.out 2>&1 || fail "$(cat same.out)"
"$ctl" image create --allow-short-tracks --dry-run --cdtext-tab never same.cue > /dev/null 2>&1 &&
        fail "--cdtext-tab never fitted"

echo "== malformed sheets of every kind: file:line: reason"
expect() { # WANT FILE [ARGS]: image create must fail with WANT on stderr
        local want=$1; shift
        if "$ctl" image create --dry-run "$@" > /dev/null 2> err.txt; then fail "$* accepted"; fi
        grep -qF "rawburnctl: $want" err.txt || fail "$*: got \"$(cat err.txt)\", want \"$want\""
}
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    FROB 1\n' > bad1.cue
expect 'bad1.cue:3: unknown command "FROB"' bad1.cue
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    FLAGS XYZ\n    INDEX 01 00:00:00\n' > bad2.cue
expect 'bad2.cue:3: unknown flag "XYZ" (DCP, 4CH, PRE, SCMS)' bad2.cue
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 03 AUDIO\n' > bad3.cue
expect 'bad3.cue:4: TRACK 03 after TRACK 01: numbers must go up by one' bad3.cue
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:20:00\n' > bad4.cue
expect 'bad4.cue:3: INDEX 01 is beyond the end of a.wav (750 sectors)' bad4.cue
printf 'FILE "a.wav" WAVE\n  TRACK 01 MODE3/2352\n' > bad5.cue
expect 'bad5.cue:2: track mode "MODE3/2352" is not supported' bad5.cue
printf 'CD_DA\nTRACK AUDIO\nFILE "a.wav" 0\nWOBBLE\n' > bad1.toc
expect 'bad1.toc:4: unknown keyword "WOBBLE"' bad1.toc
printf 'CD_DA\nCD_TEXT {\n  LANGUAGE_MAP { 0 : KLINGON }\n}\nTRACK AUDIO\nFILE "a.wav" 0\n' > bad2.toc
expect 'bad2.toc:3: LANGUAGE_MAP: unknown language "KLINGON"' bad2.toc
printf 'CD_DA\nCD_TEXT {\n  LANGUAGE 0 {\n    COLOUR "red"\n  }\n}\nTRACK AUDIO\nFILE "a.wav" 0\n' > bad3.toc
expect 'bad3.toc:4: unknown CD-Text item "COLOUR"' bad3.toc
printf 'CD_DA\nTRACK AUDIO RW_RAW\nFILE "a.wav" 0\n' > bad4.toc
expect 'bad4.toc:3: a.wav: RW sub-channel data needs a raw file, not a sound file' bad4.toc
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' > ok.cue
printf 'Album Title = x\nTrack 02 Title = y\n' > bad1.v07t
expect 'bad1.v07t:2: track 2: the disc has tracks 1 to 1' ok.cue --cdtext-v07t bad1.v07t
printf 'Album Title = x\nthis line has no equals sign\n' > bad2.v07t
expect 'bad2.v07t:2: expected "purpose specifier = content"' ok.cue --cdtext-v07t bad2.v07t
printf 'Genre Code = Polka\n' > bad3.v07t
expect 'bad3.v07t:1: Genre Code "Polka" is not in the list' ok.cue --cdtext-v07t bad3.v07t
sox a.wav -t raw -e signed -b 16 -L clone.img
$py - <<'PY'
def entry(n, point, pmin, plba):
    return (f"[Entry {n}]\nSession=1\nPoint=0x{point:02x}\nControl=0x00\nPMin={pmin}\nPSec=0\n"
            f"PFrame=0\nPLBA={plba}\n")
head = "[CloneCD]\nVersion=3\n[Disc]\nSessions=1\nDataTracksScrambled=0\n"
open("bad1.ccd", "w").write(head + entry(0, 0xA0, 2, 0) + entry(1, 0xA1, 1, 0) +
                            entry(2, 0xA2, 0, 750) + entry(3, 1, 0, 0) + "[TRACK 1]\nMODE=0\nINDEX 1=0\n")
open("bad2.ccd", "w").write(head + entry(0, 0xA2, 0, 750) + entry(1, 1, 0, 0) + "[TRACK 1]\nMODE=0\n")
open("bad3.ccd", "w").write(head.replace("Sessions=1", "Sessions=2"))
PY
cp clone.img bad1.img; cp clone.img bad2.img; cp clone.img bad3.img
expect 'bad1.ccd:6: Point=0xa0 gives first track 2, the [TRACK]s start at 1' bad1.ccd
expect 'bad2.ccd:22: track 1 has no INDEX 1' bad2.ccd
expect 'bad3.ccd:4: 2 sessions: only single-session images burn' bad3.ccd
printf 'vendor=A product=B write-offset=lots\n' > bad.conf
RAWBURN_QUIRKS=/nonexistent RAWBURN_LOCAL_QUIRKS=bad.conf \
        expect 'no quirks file (/nonexistent, bad.conf) has a write-offset for vendor "A"' \
        ok.cue --drive-model "A B"
grep -qF 'warning: bad.conf:1: write-offset=lots: give samples from -88200 to +88200' err.txt ||
        fail "the bad line is not named: $(cat err.txt)"
# A binary CD-Text file has no lines: the pack and byte are named instead.
"$ctl" image create ok.cue --cdtext-v07t /dev/null --dry-run > /dev/null 2>&1 && fail "empty v07t accepted"
printf 'TITLE "x"\nFILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    TITLE "y"\n    INDEX 01 00:00:00\n' > t.cue
"$ctl" image create t.cue -o t.raw > /dev/null
"$ctl" image inspect --cdtext-dat t.dat t.raw > /dev/null
$py -c 'import sys; d = bytearray(open("t.dat", "rb").read()); d[4 + 18 + 16] ^= 1; open("bad.dat", "wb").write(d)'
expect 'bad.dat: pack 1 (byte 22): wrong CRC' ok.cue --cdtext-file bad.dat
echo "all layout and error checks passed"
