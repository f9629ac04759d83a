#!/bin/bash
# Independent readers: images made by rawburnctl are inserted in drivesim as
# finished discs (cdrom:FILE) and read by programs nobody here wrote:
# cdrdao read-toc (decodes the Q subchannel itself: pauses, indexes, ISRC,
# MCN, CD-Text), cd-info (libcdio) and cdparanoia -Q. Their view must match
# the cue sheet the test started from, field by field.
#   readers.sh RAWBURNCTL DRIVESIM
set -euo pipefail
ctl=$(realpath "$1")
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
"$ctl" image create album.cue -o album.raw > /dev/null

echo "== cdrdao read-toc"
sim album.raw cdrdao read-toc --device /dev/sr0 --with-cddb=no album.toc > cdrdao.log 2>&1 ||
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

echo "== cdparanoia -Q"
sim album.raw cdparanoia -Q -d /dev/sr0 > paranoia.log 2>&1 || { cat paranoia.log; fail "cdparanoia"; }
$py - paranoia.log <<'PY'
import os, re, sys
A, B, C = (int(os.environ[k]) for k in "ABC")
rows = re.findall(r"^\s+(\d+)\.\s+(\d+) \[[^]]*\]\s+(\d+) \[[^]]*\]\s+(\w+)\s+(\w+)\s+(\d)",
                  open(sys.argv[1]).read(), re.M)
got = [(int(n), int(l), int(b), c, p) for n, l, b, c, p, _ in rows]
want = [(1, A + 75, 0, "no", "no"), (2, B - 75 + 150, A + 75, "OK", "no"),
        (3, C, A + B + 150, "no", "no")]
if got != want:
    sys.exit(f"FAIL cdparanoia: got {got}, want {want}")
PY

echo "== cd-info"
sim album.raw cd-info --no-header --no-device-info --no-cddb --no-vcd --no-iso9660 -C /dev/sr0 \
        > cdinfo.log 2>&1 || { cat cdinfo.log; fail "cd-info"; }
$py - cdinfo.log <<'PY'
import os, re, sys
A, B, C = (int(os.environ[k]) for k in "ABC")
log = open(sys.argv[1]).read()
rows = re.findall(r"^\s*(\d+): \d\d:\d\d:\d\d\s+(\d+) (\w+)", log, re.M)
got = [(int(n), int(l), k) for n, l, k in rows]
leadout = A + B + 150 + C
want = [(1, 0, "audio"), (2, A + 75, "audio"), (3, A + B + 150, "audio"), (170, leadout, "leadout")]
if got != want:
    sys.exit(f"FAIL cd-info: got {got}, want {want}")
for title in ("Premiere", "One", "Two", "Three"):
    if not re.search(r"TITLE:\s*" + title, log):
        sys.exit(f"FAIL cd-info: CD-Text title {title} missing")
PY
echo "all reader checks passed"
