#!/bin/bash
# Issue 8's proof, without a drive: the corpus of tests/data/make-corpus.py
# (one album in every cue shape rippers write, a cdrdao TOC, a .v07t, an
# embedded FLAC CUESHEET; a Japanese disc; two bilingual discs; a
# PlayStation-style disc as redump cue, single-BIN cue, cdrdao TOC and
# CloneCD) becomes images, and
#   - every shape of a disc gives the same image, byte for byte;
#   - each image holds what the sheets say, read by an independent decoder
#     (discimage.py: Q, lead-in CD-Text packs with every CRC checked, text
#     per block and track) and by rawburnctl image inspect;
#   - the game disc's Mode 2 sectors come out exactly as given, the one
#     with a wrong EDC included;
#   - byte order: WAV, BINARY, MOTOROLA and a big-endian TOC file agree,
#     the wrong declaration gets the warning;
#   - a write offset moves the audio by exactly that many samples, from the
#     option or from the quirks files (rawburnctl drives set-offset).
#   corpus.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

$py "$here/../data/make-corpus.py" "$work/data" > /dev/null
cd "$work/data"

echo "== every shape of every disc"
while read -r disc name args; do
        # shellcheck disable=SC2086 # args are words by design
        "$ctl" image create $args -o "img-$disc-$name.raw" > "out-$disc-$name.txt" \
                2> "err-$disc-$name.txt" || fail "$disc $name: $(cat "err-$disc-$name.txt")"
done < shapes.txt

echo "== notes: what was not plain is said, nothing else"
grep -q "single-cp1252.cue: not UTF-8, read as CP1252" err-album-single-cp1252.txt ||
        fail "no CP1252 note"
grep -q 'single-case.cue:13: "ALBUM.WAV" not found, using ./album.wav' err-album-single-case.txt ||
        fail "no case note: $(cat err-album-single-case.txt)"
grep -q "jp-sjis.cue: not UTF-8, read as SHIFT_JIS" err-jp-shift-jis-cue.txt || fail "no SJIS note"
for f in err-*.txt; do
        case $f in err-album-single-cp1252.txt | err-album-single-case.txt | \
                err-jp-shift-jis-cue.txt | err-album-embedded-flac+v07t.txt) continue ;; esac
        [ -s "$f" ] && fail "$f: $(cat "$f")"
done
grep -q "became" out-*.txt && fail "characters lost: $(grep -l became out-*.txt)"

echo "== the same disc from every shape"
for disc in album jp bil enja game; do
        first=
        for f in img-$disc-*.raw; do
                [ -z "$first" ] && first=$f && continue
                cmp -s "$first" "$f" || fail "$f differs from $first"
        done
        echo "   $disc: $(ls img-$disc-*.raw | wc -l) shapes, one image"
done

echo "== each image holds what its sheets say (independent decoder and the inspector)"
for disc in album jp bil enja game; do
        img=$(ls img-$disc-*.raw | head -1)
        rc=0
        "$ctl" image inspect --json "$img" > "$disc.json" || rc=$?
        [ $rc = 0 ] || fail "inspect $img: exit $rc"
        $py - "$here" "$disc" "$img" "$disc.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import discimage as di
disc, path, inspected = sys.argv[2], sys.argv[3], json.load(open(sys.argv[4]))
facts = json.load(open("facts.json"))[disc]
def check(what, got, want):
    if got != want:
        sys.exit(f"FAIL {disc}: {what}: got {got!r}, want {want!r}")
img = di.Image(path)
# The TOC of the lead-in (Q mode 1, TNO 0), decoded here.
toc = {}
for lba in range(-22650, -150, 3):
    q = di.q_of(img.sector(lba))
    check(f"lead-in Q CRC at {lba}", di.crc16(q[:10]), q[10:])
    bcd = lambda x: (x >> 4) * 10 + (x & 15)
    toc[q[2]] = (q[0] >> 4, (bcd(q[7]) * 60 + bcd(q[8])) * 75 + bcd(q[9]) - 150, bcd(q[7]))
tracks = facts["tracks"]
for n, t in enumerate(tracks, 1):
    point = (n // 10) << 4 | n % 10
    check(f"TOC track {n} (control, start)", toc.get(point, (None, None))[:2],
          (t["control"] | (4 if t["mode"] != "audio" else 0), t["start"]))
check("TOC lead-out", toc[0xA2][1], facts["leadout"])
check("TOC first/last", (toc[0xA0][2], toc[0xA1][2]), (1, len(tracks)))
# The inspector's view.
check("inspector Q CRC errors", inspected["q_crc_errors"], 0)
check("inspector warnings", inspected["warnings"], "")
check("inspector MCN", inspected.get("mcn") or None, facts["mcn"])
got = [(t["start_lba"], t["pause_lba"] is not None and t["start_lba"] - t["pause_lba"], t["end_lba"] - t["start_lba"] + 1)
       for t in inspected["tracks"]]
want = [(t["start"], t["pause"] or False, t["length"]) for t in tracks]
check("inspector tracks", got, want)
check("inspector ISRC", [t["isrc"] for t in inspected["tracks"]], [t["isrc"] for t in tracks])
for it, t in zip(inspected["tracks"], tracks):
    if t["index2"] is not None:
        check("index 2", [e["lba"] for e in it["indexes"] if e["index"] == 2], [t["index2"]])
# CD-Text: every pack of the lead-in, CRC checked here, decoded here.
packs, bad, seen = di.leadin_packs(img)
check("CD-Text packs with a wrong CRC", bad, 0)
check("inspector CD-Text CRC errors", inspected["cdtext"]["crc_errors"], 0)
blocks = di.decode(packs)
check("CD-Text blocks", len(blocks), len(facts["cdtext"]))
charsets = {"ISO-8859-1": 0x00, "MS-JIS": 0x80}
for k, want in enumerate(facts["cdtext"]):
    b = blocks[k]
    check(f"block {k} language", b["language"], want["language"])
    check(f"block {k} character code", b["charset"], charsets[want["charset"]])
    check(f"block {k} size information counts", {0x80 + i: c for i, c in enumerate(b["counts"]) if c},
          b["counts_seen"])
    check(f"block {k} last sequence numbers",
          b["last_seq"][:len(blocks)], [max(s for (kk, s) in packs if kk == j) for j in range(len(blocks))])
    for field, value in want["disc"].items():
        check(f"block {k} disc {field}", b["text"][field][0], value)
    for n, tt in enumerate(want["tracks"], 1):
        for field, value in tt.items():
            check(f"block {k} track {n} {field}", b["text"][field][n], value)
    check(f"block {k} genre", b["genre"], want["genre"])
    # The inspector reads the same.
    mine = {(e["field"], e["track"]): e["text"] for e in inspected["cdtext"]["text"] if e["block"] == k}
    for n, tt in enumerate([want["disc"]] + want["tracks"]):
        for field, value in tt.items():
            check(f"inspector block {k} track {n} {field}", mine.get((field, n)), value)
    ib = [x for x in inspected["cdtext"]["blocks"] if x["block"] == k][0]
    check(f"inspector block {k}", (ib["language"], ib["charset"]), (want["language"], want["charset"]))
if disc == "game":
    # Mode 2 sectors exactly as given, the wrong EDC included.
    data = open(facts["data_track"], "rb").read()
    for lba in range(tracks[0]["length"]):
        got = di.descramble(img.main(lba))
        if got != data[lba * 2352:(lba + 1) * 2352]:
            sys.exit(f"FAIL game: data sector {lba} differs from the BIN")
    check("inspector data errors", [t["data_errors"] for t in inspected["tracks"]], [1, 0, 0])
print(f"   {disc}: TOC, indexes, ISRC, MCN, {len(packs)} CD-Text packs in {len(blocks)} blocks OK")
PY
done

echo "== TOC_INFO (88h) packs on request: the disc's TOC, in every block"
"$ctl" image create --cdtext-toc-info bil.toc -o tocinfo.raw > /dev/null
$py - "$here" tocinfo.raw <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import discimage as di
facts = json.load(open("facts.json"))["bil"]
packs, bad, seen = di.leadin_packs(di.Image(sys.argv[2]))
assert bad == 0
for blk in (0, 1):
    toc = [p for k, p in sorted(packs.items()) if k[0] == blk and p[0] == 0x88]
    pay = b"".join(p[4:16] for p in toc)
    lo = facts["leadout"] + 150
    assert pay[:6] == bytes([1, 2, 0, lo // 4500, lo // 75 % 60, lo % 75]), pay[:6]
    starts = [t["start"] + 150 for t in facts["tracks"]]
    assert pay[12:18] == b"".join(bytes([s // 4500, s // 75 % 60, s % 75]) for s in starts), pay
    assert toc[1][1] == 1, "the second 88h pack's track byte is its first track"
    counts = di.decode(packs)[blk]
    assert counts["counts"][8] == 2 == counts["counts_seen"][0x88], counts
print("   TOC_INFO: first/last track, lead-out and track starts in both blocks")
PY

echo "== byte order: the wrong declaration is warned about, never swapped silently"
sed 's/album.bin" BINARY/album-be.bin" BINARY/' single-bin.cue > wrong-le.cue
sed 's/album-be.bin" MOTOROLA/album.bin" MOTOROLA/' single-motorola.cue > wrong-be.cue
sed 's/album.cdr"/album.bin"/' album.toc > wrong.toc
for s in wrong-le.cue wrong-be.cue wrong.toc; do
        "$ctl" image create --dry-run "$s" > /dev/null 2> "$s.err" || fail "$s: $(cat "$s.err")"
        grep -q "warning: track 01: the audio of ./album.*looks byte-swapped" "$s.err" ||
                fail "$s: no byte-order warning: $(cat "$s.err")"
done
grep -q "read as little-endian" wrong-le.cue.err || fail "wrong-le: $(cat wrong-le.cue.err)"
grep -q "read as big-endian" wrong.toc.err || fail "wrong.toc: $(cat wrong.toc.err)"
"$ctl" image create --dry-run single-bin.cue 2>&1 >/dev/null | grep -q "byte-swapped" &&
        fail "a warning for the right byte order"
# Acting on it: the wrong sheet with --swap-audio gives the right disc.
"$ctl" image create --swap-audio wrong-le.cue -o swapped.raw > /dev/null 2>&1
cmp -s swapped.raw img-album-single-bin.raw || fail "--swap-audio does not give the right disc"

echo "== write offset: the audio moves by exactly the samples given"
"$ctl" image create --write-offset 30 single-wav.cue -o off+30.raw > off+30.out 2> off+30.err
grep -q "write offset: +30 samples: the audio is sent 30 samples (120 bytes) early" off+30.out ||
        fail "dry-run line: $(cat off+30.out)"
[ -s off+30.err ] && fail "+30: $(cat off+30.err)"
"$ctl" image create --write-offset -1000 single-wav.cue -o off-1000.raw > /dev/null 2> off-1000.err
# The last 1000 samples of track 3 (a tone) are pushed past the last audio
# sector: the warning counts those that are not silent (checked below).
grep -q "warning: the write offset moved [0-9]* audio samples that are not silent" off-1000.err ||
        fail "no warning for the samples lost: $(cat off-1000.err)"
$py - "$here" img-album-single-wav.raw off+30.raw off-1000.raw <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import discimage as di
ref, plus, minus = (di.Image(p) for p in sys.argv[2:5])
leadout = json.load(open("facts.json"))["album"]["leadout"]
stream = b"".join(ref.main(lba) for lba in range(-150, leadout))
for img, n in ((plus, 30), (minus, -1000)):
    want = (stream[4 * n:] + bytes(4 * n)) if n > 0 else (bytes(-4 * n) + stream[:4 * n])
    got = b"".join(img.main(lba) for lba in range(-150, leadout))
    if got != want:
        first = next(i for i in range(len(got)) if got[i] != want[i])
        sys.exit(f"FAIL offset {n}: audio differs from the shifted stream at byte {first}")
    for lba in list(range(-22650, -150, 97)) + list(range(-150, leadout + 6750)):
        a, b = ref.sector(lba), img.sector(lba)
        if a[2352:] != b[2352:]:
            sys.exit(f"FAIL offset {n}: subchannel of LBA {lba} moved")
        if (lba < -150 or lba >= leadout) and a != b:
            sys.exit(f"FAIL offset {n}: lead-in/lead-out sector {lba} changed")
import re
lost = sum(1 for i in range(len(stream) - 4000, len(stream), 4) if stream[i:i + 4] != bytes(4))
said = int(re.search(r"moved (\d+) audio samples", open("off-1000.err").read())[1])
if said != lost:
    sys.exit(f"FAIL: the warning says {said} samples lost, {lost} were not silent")
print("   +30 and -1000 samples: audio shifted exactly, subchannel, lead-in and lead-out untouched")
PY
# The quirks files (docs/quirks.md): the local one that set-offset writes, read after the
# distribution's; no file of the machine.
export RAWBURN_QUIRKS="$work/dist-quirks.conf" RAWBURN_LOCAL_QUIRKS="$work/quirks.conf"
printf 'vendor=PLEXTOR product="DVDR   PX-716A" write-offset=+6\n' > "$RAWBURN_QUIRKS"
"$ctl" drives set-offset PLEXTOR "DVDR   PX-716A" +30 > /dev/null
"$ctl" drives --config "$RAWBURN_LOCAL_QUIRKS" set-offset "HL-DT-ST" "DVDRAM GH24NSD1" -6 > /dev/null
DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent "$ctl" drives > drives.txt
grep -q "PLEXTOR    DVDR   PX-716A     \*         +6 samples     -              distribution:1" drives.txt ||
        fail "drives: $(cat drives.txt)"
grep -q "PLEXTOR    DVDR   PX-716A     \*         +30 samples    -              local:1" drives.txt ||
        fail "drives: $(cat drives.txt)"
grep -q "HL-DT-ST   DVDRAM GH24NSD1    \*         -6 samples     -              local:2" drives.txt ||
        fail "drives: $(cat drives.txt)"
# The local file's +30 wins over the distribution's +6.
"$ctl" image create --drive-model "PLEXTOR DVDR   PX-716A" single-wav.cue -o model.raw > model.out
cmp -s model.raw off+30.raw || fail "--drive-model gives another image than --write-offset 30"
grep -q "PLEXTOR DVDR   PX-716A: write offset +30 samples (local quirks file, line 1)" model.out ||
        fail "--drive-model: $(cat model.out)"
if "$ctl" image create --drive-model "NO SUCH" --dry-run single-wav.cue \
        > /dev/null 2> nosuch.err; then fail "unknown model accepted"; fi
grep -q "has a write-offset for vendor \"NO\" product \"SUCH\"" nosuch.err || fail "$(cat nosuch.err)"
unset RAWBURN_QUIRKS RAWBURN_LOCAL_QUIRKS
echo "all corpus checks passed"
