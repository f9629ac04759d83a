#!/bin/bash
# Independent readers: images made by rawburnctl are inserted in drivesim as
# finished discs (cdrom:FILE) and read by programs nobody here wrote:
# cdrdao read-toc (decodes the Q subchannel itself: pauses, indexes, ISRC,
# MCN, CD-Text), cd-info (libcdio) and cdparanoia -Q. Their view must match
# the cue sheet the test started from, field by field.
#   readers.sh RAWBURNCTL DRIVESIM
set -euo pipefail
ctl=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
drivesim=$(realpath "$2")
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
sim() { local img=$1; shift; timeout 120 "$drivesim" --drive "cdrom:$work/$img" -- "$@"; }

sox -n -r 44100 -c 2 -b 16 a.wav synth 5 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 b.flac synth 6 sine 660 gain -3
sox -n -r 44100 -c 2 -b 16 c.wav synth 4 sine 880 gain -3
sectors() { local s; s=$(soxi -s "$1"); echo $(((s + 587) / 588)); }
A=$(sectors a.wav) B=$(sectors b.flac) C=$(sectors c.wav)
export A B C

cat > album.cue <<CUE
CATALOG 4006381333931
PERFORMER "The Testers"
TITLE "Premiere"
FILE "a.wav" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    PERFORMER "Alice"
    ISRC USABC2600001
    INDEX 01 00:00:00
    INDEX 02 00:02:00
FILE "b.flac" WAVE
  TRACK 02 AUDIO
    TITLE "Two"
    PERFORMER "Bob"
    FLAGS DCP
    INDEX 00 00:00:00
    INDEX 01 00:01:00
FILE "c.wav" WAVE
  TRACK 03 AUDIO
    TITLE "Three"
    PERFORMER "Carol"
    ISRC GBAYE2600042
    PREGAP 00:02:00
    INDEX 01 00:00:00
CUE
"$ctl" image create --allow-short-tracks album.cue -o album.raw > /dev/null

echo "== cdrdao read-toc"
sim album.raw cdrdao read-toc --device /dev/sr0 album.toc > cdrdao.log 2>&1 ||
        { cat cdrdao.log; fail "cdrdao read-toc"; }
$py - album.toc <<'PY'
import os, re, sys
A, B, C = (int(os.environ[k]) for k in "ABC")
toc = open(sys.argv[1], encoding="latin-1").read()
def frames(t):
    if ":" in t:
        m, s, f = map(int, t.split(":"))
        return (m * 60 + s) * 75 + f
    return int(t) // 2352  # byte count
tracks, pos = [], 0
for block in re.split(r"\n(?=TRACK )", toc)[1:]:
    t = {"copy": "\nCOPY" in block, "isrc": None, "start": 0, "indexes": []}
    m = re.search(r'ISRC "([^"]+)"', block)
    if m: t["isrc"] = m.group(1)
    m = re.search(r'(?:FILE|AUDIOFILE|SILENCE|ZERO)\s+(?:"[^"]*"\s+)?(\S+)(?:\s+(\S+))?', block)
    length = frames(m.group(2) if m.group(2) else m.group(1))
    m = re.search(r"\nSTART (\S+)", block)
    t["pause"] = frames(m.group(1)) if m else 0
    t["begin"] = pos
    t["index1"] = pos + t["pause"]
    t["indexes"] = [frames(x) for x in re.findall(r"\nINDEX (\S+)", block)]
    pos += length
    tracks.append(t)
def check(what, got, want):
    if got != want:
        sys.exit(f"FAIL cdrdao: {what}: got {got!r}, want {want!r}")
check("tracks", len(tracks), 3)
# cdrdao counts from LBA 0 and leaves track 1's 2 s pause out.
check("t1 start", tracks[0]["index1"], 0)
check("t2 pause", tracks[1]["pause"], 75)
check("t2 start", tracks[1]["index1"], A + 75)
check("t3 pause", tracks[2]["pause"], 150)
check("t3 start", tracks[2]["index1"], A + B + 150)
check("end", pos, A + B + 150 + C)
check("t1 index 2 (relative to index 1)", tracks[0]["indexes"], [150])
check("copy flags", [t["copy"] for t in tracks], [False, True, False])
check("ISRC", [t["isrc"] for t in tracks], ["USABC2600001", None, "GBAYE2600042"])
m = re.search(r'CATALOG "(\d+)"', toc)
check("MCN", m and m.group(1), "4006381333931")
titles = re.findall(r'TITLE "([^"]*)"', toc)
check("CD-Text titles", titles, ["Premiere", "One", "Two", "Three"])
performers = re.findall(r'PERFORMER "([^"]*)"', toc)
check("CD-Text performers", performers, ["The Testers", "Alice", "Bob", "Carol"])
PY

echo "== cd-info: track list, types, copy and pre-emphasis flags"
# (cd-info's MCN and CD-Text come through ioctls drivesim does not serve;
# cdrdao read-toc above checks both.)
sim album.raw cd-info --no-header --no-device-info --no-cddb --no-vcd -C /dev/sr0 \
        > cdinfo.log 2>&1 || { cat cdinfo.log; fail "cd-info"; }
$py - cdinfo.log <<'PY'
import os, re, sys
A, B, C = (int(os.environ[k]) for k in "ABC")
log = open(sys.argv[1]).read()
rows = re.findall(r"^\s*(\d+): \d\d:\d\d:\d\d\s+(\d+) (\w+)(?:\s+\w+\s+(\w+)\s+\d\s+(\w+))?", log, re.M)
got = [(int(n), int(l), k, c, p) for n, l, k, c, p in rows]
leadout = A + B + 150 + C
want = [(1, 0, "audio", "no", "no"), (2, A + 75, "audio", "yes", "no"),
        (3, A + B + 150, "audio", "no", "no"), (170, leadout, "leadout", "", "")]
if got != want:
    sys.exit(f"FAIL cd-info: got {got}, want {want}")
PY

# cdparanoia -Q needs dup-ioctl.so under umockdev (it sends ioctls on a dup()
# of the device fd): corpus-readers.sh runs it on every image of the corpus.

echo "== mixed mode: ISO as Mode 1 + audio, read back by cdrdao read-toc and read-cd"
mkdir iso && echo "hello rawburn" > iso/README.TXT
genisoimage -quiet -V RAWBURN -o d.iso iso
"$ctl" image create --allow-short-tracks d.iso a.wav -o mixed.raw > /dev/null
sim mixed.raw cdrdao read-toc --device /dev/sr0 mixed.toc > mixed.log 2>&1 ||
        { cat mixed.log; fail "cdrdao read-toc (mixed)"; }
iso_len=$(($(stat -c %s d.iso) / 2048))
grep -q "^TRACK MODE1" mixed.toc || fail "track 1 is not MODE1: $(cat mixed.toc)"
$py - mixed.toc "$iso_len" <<'PY'
import re, sys
toc, n = open(sys.argv[1]).read(), int(sys.argv[2])
m = re.search(r'DATAFILE "[^"]*" (\d+):(\d+):(\d+)', toc)
assert m and (int(m[1]) * 60 + int(m[2])) * 75 + int(m[3]) == n, (m and m.groups(), n)
assert re.search(r"TRACK AUDIO.*START 00:02:00", toc, re.S), toc
PY
sim mixed.raw cdrdao read-cd --device /dev/sr0 --datafile readback.bin readback.toc \
        > readcd.log 2>&1 || { cat readcd.log; fail "cdrdao read-cd"; }
head -c "$(stat -c %s d.iso)" readback.bin | cmp - d.iso || fail "the data track read back differs from the ISO"
# cdrdao stores audio big-endian: compare with sox's big-endian rendering.
sox a.wav -t raw -e signed -b 16 -B a.be
tail -c +$(($(stat -c %s d.iso) + 1)) readback.bin | head -c "$(stat -c %s a.be)" | cmp - a.be ||
        fail "the audio track read back differs from the WAV"

echo "== hidden track one audio"
printf 'FILE "a.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 00 00:00:00\n  INDEX 01 00:03:00\nFILE "c.wav" WAVE\n TRACK 02 AUDIO\n  INDEX 01 00:00:00\n' > htoa.cue
"$ctl" image create --allow-short-tracks htoa.cue -o htoa.raw > /dev/null
sim htoa.raw cdrdao read-toc --device /dev/sr0 htoa.toc > htoa.log 2>&1 ||
        { cat htoa.log; fail "cdrdao read-toc (HTOA)"; }
$py - htoa.toc <<'PY'
import re, sys
toc = open(sys.argv[1]).read()
t1 = toc.split("TRACK AUDIO")[1]
assert "START 00:03:00" in t1, toc  # 3 s of hidden audio before index 01
PY

echo "== CloneCD: image from .ccd/.img/.sub, read back by cdrdao read-toc"
sox a.wav -t raw -e signed -b 16 -L a.pcm
sox c.wav -t raw -e signed -b 16 -L c.pcm
$py "$here/make-clonecd.py"
"$ctl" image create --allow-short-tracks clone.ccd -o clone.raw > /dev/null
sim clone.raw cdrdao read-toc --device /dev/sr0 clone.toc > clone.log 2>&1 ||
        { cat clone.log; fail "cdrdao read-toc (CloneCD)"; }
$py - clone.toc <<'PY'
import os, re, sys
A, C = int(os.environ["A"]), int(os.environ["C"])
toc = open(sys.argv[1]).read()
tracks = toc.split("\nTRACK ")[1:]
assert len(tracks) == 2, toc
assert "START 00:02:00" in tracks[1], toc
def frames(t):
    m, s, f = map(int, t.split(":"))
    return (m * 60 + s) * 75 + f
lengths = [frames(re.search(r'FILE "[^"]*" \S+ (\S+)', t)[1]) for t in tracks]
assert lengths == [A, 150 + C], (lengths, A, C)
PY

echo "== the same album burned by cdrdao (generic-mmc-raw) onto drivesim, and our image of it"
cat > w.toc <<'TOC'
CD_DA
CATALOG "4006381333931"
CD_TEXT {
  LANGUAGE_MAP { 0 : EN }
  LANGUAGE 0 { TITLE "Album" PERFORMER "Band" }
}
TRACK AUDIO
ISRC "USABC2600001"
CD_TEXT { LANGUAGE 0 { TITLE "One" PERFORMER "Alice" } }
FILE "a.be" 0
INDEX 00:02:00
TRACK AUDIO
COPY
CD_TEXT { LANGUAGE 0 { TITLE "Two" PERFORMER "Bob" } }
FILE "b.wav" 0
START 00:01:00
TRACK AUDIO
ISRC "GBAYE2600042"
CD_TEXT { LANGUAGE 0 { TITLE "Three" PERFORMER "Carol" } }
PREGAP 00:02:00
FILE "a.be" 0
TOC
sox b.flac b.wav
"$ctl" image create --allow-short-tracks w.toc -o ours.raw > /dev/null
mkdir state
timeout 300 "$drivesim" -s "$work/state" --drive cdr80 -- \
        cdrdao write --device /dev/sr0 --driver generic-mmc-raw w.toc > write.log 2>&1 ||
        { cat write.log; fail "cdrdao write"; }
first=$(sed -n 's/^first_lba=//p' state/sr0.desc)
$py - ours.raw state/sr0.dao96 "$first" <<'PY'
import collections, os, sys
ours, theirs, first = open(sys.argv[1], "rb"), open(sys.argv[2], "rb"), int(sys.argv[3])
count = os.path.getsize(sys.argv[2]) // 2448
def sector(f, lba, start):
    f.seek((lba - start) * 2448)
    return f.read(2448)
def q(raw):
    out = bytearray(12)
    for n in range(96):
        if raw[n] >> 6 & 1:
            out[n // 8] |= 0x80 >> (n % 8)
    return bytes(out)
def packs(raw):
    sym = [b & 0x3F for b in raw]
    data = bytearray()
    for i in range(0, 96, 4):
        v = sym[i] << 18 | sym[i + 1] << 12 | sym[i + 2] << 6 | sym[i + 3]
        data += bytes([v >> 16, v >> 8 & 255, v & 255])
    return [bytes(data[18 * k:18 * k + 18]) for k in range(4)]
toc_a, toc_b, text_a, text_b = set(), set(), {}, {}
main_diff, q_diff = 0, collections.Counter()
for lba in range(first, first + count):
    a, b = sector(ours, lba, -22650), sector(theirs, lba, first)
    qa, qb = q(a[2352:]), q(b[2352:])
    if lba < -150:
        # Lead-in: the same TOC entries and the same CD-Text packs. Running
        # time and the pack cycle's phase differ by design (docs/image-format.md).
        for qq, s in ((qa, toc_a), (qb, toc_b)):
            s.add((qq[0], qq[2], qq[7:10]))
        for raw, d in ((a, text_a), (b, text_b)):
            for p in packs(raw[2352:]):
                if p[0] >= 0x80:
                    d[p[2]] = p
        continue
    if a[:2352] != b[:2352]:
        main_diff += 1
    if qa == qb:
        continue
    def bcd(x): return (x >> 4) * 10 + (x & 15)
    def frames(qq): return (bcd(qq[3]) * 60 + bcd(qq[4])) * 75 + bcd(qq[5])
    if qa[0] & 15 != 1 or qb[0] & 15 != 1:
        q_diff["MCN/ISRC on other frames"] += 1  # both within 100 frames, by design
    elif qa[:3] == qb[:3] and qa[2] == 0 and qa[6:10] == qb[6:10] and frames(qb) == frames(qa) + 1:
        q_diff["pause relative time one frame higher in cdrdao"] += 1  # mmc-raw.md 4.2
    else:
        q_diff["unexplained: ours %s cdrdao %s at LBA %d" % (qa.hex(), qb.hex(), lba)] += 1
print("program area and lead-out Q differences:", dict(q_diff))
assert main_diff == 0, f"{main_diff} sectors with a different main channel"
assert not [k for k in q_diff if k.startswith("unexplained")], q_diff
assert toc_a == toc_b, (sorted(toc_a), sorted(toc_b))
assert text_a == text_b and len(text_a) == 7, (text_a, text_b)
PY
echo "all reader checks passed"
