#!/bin/bash
# Issue 8's corpus read back by programs nobody here wrote: the image of
# every shape of every disc (tests/data/make-corpus.py) goes into drivesim as
# a finished disc (cdrom:FILE) and
#   cdrdao read-toc   tracks, pauses, indexes, ISRC, MCN, flags, CD-Text
#   cd-info (libcdio) tracks, MCN, ISRC, CD-Text of every language
#   cdparanoia -Q     the audio tracks (with dup-ioctl.so, see docs/drivesim.md)
#   cdrskin           CD-Text of every block as a .v07t (cdtext_to_v07t=)
#   wodim -vv -toc    the CD-Text packs as cdtext.dat
# must agree with the sheets. Then the round trips: cdrskin's .v07t, wodim's
# cdtext.dat (as --cdtext-file and as a cue CDTEXTFILE) and cdrdao's
# read-toc TOC (with its FILE pointed at the audio) give the same image again.
#   corpus-readers.sh RAWBURNCTL DRIVESIM DUP-IOCTL.SO
set -euo pipefail
ctl=$(realpath "$1")
drivesim=$(realpath "$2")
shim=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

$py "$here/../data/make-corpus.py" "$work/data" > /dev/null
cd "$work/data"

read_back() { # IMAGE DIR: every reader in one drivesim run
        mkdir -p "$2"
        (cd "$2" && SHIM=$shim timeout 300 "$drivesim" --drive "cdrom:$work/data/$1" -- sh -c '
                cdrdao read-toc --device /dev/sr0 read.toc > cdrdao.log 2>&1 || echo cdrdao >> failed
                cd-info --no-header --no-device-info --no-cddb --no-vcd /dev/sr0 \
                        > cd-info.txt 2>&1 || echo cd-info >> failed
                LD_PRELOAD=$SHIM:$LD_PRELOAD cdparanoia -d /dev/sr0 -Q \
                        > cdparanoia.txt 2>&1 || echo cdparanoia >> failed
                cdrskin dev=/dev/sr0 cdtext_to_v07t=back.v07t > cdrskin.txt 2>&1 ||
                        echo cdrskin >> failed
                wodim -vv -toc dev=/dev/sr0 > wodim.txt 2>&1 || echo wodim >> failed') ||
                fail "drivesim on $1"
        [ -e "$2/failed" ] && fail "$1: $(tr '\n' ' ' < "$2/failed")failed: $(cat "$2"/*.log)"
        return 0
}

echo "== every shape's image read back by cdrdao, cd-info, cdparanoia, cdrskin, wodim"
while read -r disc name args; do
        # shellcheck disable=SC2086 # args are words by design
        "$ctl" image create $args -o "img-$disc-$name.raw" > /dev/null 2>&1 ||
                fail "$disc $name: image create"
        read_back "img-$disc-$name.raw" "read-$disc-$name"
        $py - "$here" "$disc" "read-$disc-$name" "img-$disc-$name.raw" <<'PY' || fail "$disc $name"
import json, os, re, sys
sys.path.insert(0, sys.argv[1])
import discimage as di
disc, d, image = sys.argv[2], sys.argv[3], sys.argv[4]
facts = json.load(open("facts.json"))[disc]
tracks = facts["tracks"]
def check(reader, what, got, want):
    if got != want:
        sys.exit(f"FAIL {disc} ({d}) {reader}: {what}: got {got!r}, want {want!r}")
def unescape(s):
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), s.encode("latin-1"))
# ---- cdrdao read-toc
toc = open(f"{d}/read.toc", encoding="latin-1").read()
def frames(t):
    m, s, f = map(int, t.split(":"))
    return (m * 60 + s) * 75 + f
pos, got = 0, []
for block in re.split(r"\n(?=TRACK )", toc)[1:]:
    length = sum(frames(x) for x in re.findall(r"\nSILENCE (\S+)", block))
    for m in re.finditer(r'\n(?:FILE|DATAFILE) "[^"]*" (\S+)(?: (\d\d:\d\d:\d\d))?', block):
        length += frames(m[2] if m[2] else m[1])
    start = re.search(r"\nSTART (\S+)", block)
    pause = frames(start[1]) if start else 0
    idx = [frames(x) for x in re.findall(r"\nINDEX (\S+)", block)]
    isrc = re.search(r'\nISRC "([^"]+)"', block)
    got.append({"start": pos + pause, "pause": pause, "length": length - pause,
                "mode": "audio" if block.startswith("TRACK AUDIO") else "mode2",
                "pre": "\nPRE_EMPHASIS" in block, "isrc": isrc and isrc[1],
                "index2": pos + pause + idx[0] if idx else None})
    pos += length
want = [{"start": t["start"], "pause": t["pause"] if n else 0, "length": t["length"],
         "mode": t["mode"], "pre": bool(t["control"] & 1), "isrc": t["isrc"],
         "index2": t["index2"]} for n, t in enumerate(tracks)]
check("cdrdao", "tracks", got, want)
mcn = re.search(r'CATALOG "(\d+)"', toc)
check("cdrdao", "MCN", mcn and mcn[1], facts["mcn"])
# CD-Text: per language, the disc's then each track's strings, in the
# block's character code.
langs = dict(re.findall(r"\n\s+(\d): (\d+)", toc.split("\n// Track")[0]))
check("cdrdao", "CD-Text languages", [int(langs[k]) for k in sorted(langs)],
      [b["language"] for b in facts["cdtext"]])
parts = toc.split("\n// Track")
for k, b in enumerate(facts["cdtext"]):
    enc = "cp932" if b["charset"] == "MS-JIS" else "latin-1"
    for n, texts in enumerate([b["disc"]] + b["tracks"]):
        lang = re.search(r"LANGUAGE %d \{(.*?)\n\s*\}" % k, parts[n], re.S)
        items = dict(re.findall(r'\n\s+(\w+) "((?:[^"\\]|\\.)*)"', lang[1])) if lang else {}
        for field, value in texts.items():
            seen = unescape(items.get(field, "")).decode(enc)
            if b["charset"] == "MS-JIS" and n > 0:
                # cdrdao 1.2.4 splits double-byte text at single NULs, so its
                # track strings are shifted (docs/sources.md); the disc's is right.
                continue
            check("cdrdao", f"CD-Text block {k} {'track %d' % n if n else 'disc'} {field}",
                  seen, value)
    if disc == "album":
        genre = re.search(r"GENRE \{([^}]*)\}", toc)
        check("cdrdao", "genre", genre and [int(x) for x in genre[1].split(",")][:2], [0, 0x17])
# ---- cd-info
info = open(f"{d}/cd-info.txt").read()
rows = re.findall(r"^\s*(\d+): \d\d:\d\d:\d\d\s+(\d+) (\w+)(?:\s+\w+\s+(\w+)\s+\d\s+(\w+))?",
                  info, re.M)
check("cd-info", "track list", [(int(n), int(l), k) for n, l, k, c, p in rows],
      [(n, t["start"], "audio" if t["mode"] == "audio" else "data")
       for n, t in enumerate(tracks, 1)] + [(170, facts["leadout"], "leadout")])
check("cd-info", "pre-emphasis", [p == "yes" for n, l, k, c, p in rows if k == "audio"],
      [bool(t["control"] & 1) for t in tracks if t["mode"] == "audio"])
m = re.search(r"Media Catalog Number \(MCN\): (\d*)", info)
check("cd-info", "MCN", (m[1] or None) if m else None, facts["mcn"])
check("cd-info", "ISRC", dict(re.findall(r"TRACK\s+(\d+) ISRC: (\S+)", info)),
      {str(n): t["isrc"] for n, t in enumerate(tracks, 1) if t["isrc"]})
for k, b in enumerate(facts["cdtext"]):
    names = {9: "English", 0x0F: "French", 0x69: "Japanese"}
    lang = re.search(r"Language %d '%s':\n(.*?)(?=\nLanguage |\Z)" % (k, names[b["language"]]),
                     info, re.S)
    if not lang:
        sys.exit(f"FAIL {disc} cd-info: no CD-Text language {k}: {info}")
    sections = re.split(r"CD-TEXT for (?:Disc|Track\s+\d+):\n", lang[1])[1:]
    for n, texts in enumerate([b["disc"]] + b["tracks"]):
        items = dict(re.findall(r"\t(\w+): (.*)", sections[n]))
        for field, value in texts.items():
            check("cd-info", f"CD-Text language {k} {'track %d' % n if n else 'disc'} {field}",
                  items.get(field), value)
    if b["genre"]:
        items = dict(re.findall(r"\t(\w+): (.*)", sections[0]))
        check("cd-info", "genre", (items.get("GENRE"), items.get("GENRE_CODE")),
              (b["genre"][1], "23 (Rock Music)"))
if not facts["cdtext"]:
    check("cd-info", "CD-Text", "No CD-TEXT on Disc." in info, True)
# ---- cdparanoia -Q: the audio tracks, each from its index 1 to the next track's
par = open(f"{d}/cdparanoia.txt").read()
rows = re.findall(r"^\s+(\d+)\.\s+(\d+) \[[^]]*\]\s+(\d+) \[[^]]*\]\s+(\w+)\s+(\w+)\s+(\d)", par, re.M)
ends = [t["start"] for t in tracks[1:]] + [facts["leadout"]]
check("cdparanoia", "audio tracks",
      [(int(n), int(b), int(l), p == "yes") for n, l, b, c, p, ch in rows],
      [(n, t["start"], e - t["start"], bool(t["control"] & 1))
       for n, (t, e) in enumerate(zip(tracks, ends), 1) if t["mode"] == "audio"])
# ---- cdrskin: every block as a .v07t, in the block's character code
if facts["cdtext"]:
    raw = open(f"{d}/back.v07t", "rb").read()
    sheets = raw.split(b"Input Sheet Version = 0.7T")[1:]
    check("cdrskin", "blocks", len(sheets), len(facts["cdtext"]))
    keys = {"TITLE": ("Album Title", "Title"), "PERFORMER": ("Artist Name", "Artist"),
            "SONGWRITER": ("Songwriter", "Songwriter"), "COMPOSER": ("Composer", "Composer"),
            "ARRANGER": ("Arranger", "Arranger"), "MESSAGE": ("Album Message", "Message"),
            "UPC_EAN": ("UPC / EAN", None)}
    for k, (sheet, b) in enumerate(zip(sheets, facts["cdtext"])):
        text = sheet.decode("cp932" if b"Text Code           = MS-JIS" in sheet else "latin-1")
        items = dict(re.findall(r"^(.*?)\s*= ?(.*)$", text, re.M))
        names = {9: "English", 0x0F: "French", 0x69: "Japanese"}
        check("cdrskin", f"block {k} language", items.get("Language Code"), names[b["language"]])
        for field, value in b["disc"].items():
            check("cdrskin", f"block {k} disc {field}", items.get(keys[field][0]), value)
        for n, texts in enumerate(b["tracks"], 1):
            for field, value in texts.items():
                check("cdrskin", f"block {k} track {n} {field}",
                      items.get(f"Track {n:02} {keys[field][1]}"), value)
# ---- wodim: every pack of the lead-in, in cdtext.dat after the 4-byte header
w = open(f"{d}/wodim.txt").read()
m = re.search(r"CD-Text len: (\d+)", w)
packs, bad, seen = di.leadin_packs(di.Image(image))
check("wodim", "CD-Text length", int(m[1]) if m else None, 4 + 18 * len(packs))
if packs:
    dat = open(f"{d}/cdtext.dat", "rb").read()
    check("wodim", "cdtext.dat", dat[4:], b"".join(packs[k] for k in sorted(packs)))
PY
        echo "   $disc $name: all five readers agree with the sheet"
done < shapes.txt

echo "== round trips: what the readers wrote gives the same image"
for disc in album jp bil enja; do
        ref=$(ls img-$disc-*.raw | head -1)
        dir=read-${ref#img-}
        dir=${dir%.raw}
        case $disc in
        album) sheet=notext.cue audio=album.cdr ;;
        jp) sheet=jp-notext.cue audio= ;;
        bil) sheet=bil-notext.cue audio=bil.wav ;;
        enja) sheet=jp-notext.cue audio= ;;
        esac
        # cdrskin's .v07t (bytes in each block's character code)
        "$ctl" image create "$sheet" --cdtext-v07t "$dir/back.v07t" -o rt-v07t.raw > /dev/null 2>&1 ||
                fail "$disc: cdrskin's v07t: $("$ctl" image create --dry-run "$sheet" --cdtext-v07t "$dir/back.v07t" 2>&1 | tail -1)"
        cmp -s rt-v07t.raw "$ref" || fail "$disc: cdrskin's .v07t gives another image"
        # wodim's cdtext.dat, given whole and as a cue CDTEXTFILE
        cp "$dir/cdtext.dat" "$disc-cdtext.dat"
        "$ctl" image create "$sheet" --cdtext-file "$disc-cdtext.dat" -o rt-dat.raw > /dev/null 2>&1 ||
                fail "$disc: --cdtext-file"
        cmp -s rt-dat.raw "$ref" || fail "$disc: wodim's cdtext.dat gives another image"
        { echo "CDTEXTFILE \"$disc-cdtext.dat\""; cat "$sheet"; } > rt-cdtextfile.cue
        "$ctl" image create rt-cdtextfile.cue -o rt-cue.raw > /dev/null 2>&1 || fail "$disc: CDTEXTFILE"
        cmp -s rt-cue.raw "$ref" || fail "$disc: CDTEXTFILE gives another image"
        # cdrdao's own TOC (Latin-1 blocks only: 1.2.4 misreads double-byte text)
        if [ -n "$audio" ]; then
                sed "s/FILE \"data.wav\"/FILE \"$audio\"/" "$dir/read.toc" > rt.toc
                "$ctl" image create rt.toc -o rt-toc.raw > /dev/null 2>&1 || fail "$disc: cdrdao's TOC"
                cmp -s rt-toc.raw "$ref" || fail "$disc: cdrdao read-toc's TOC gives another image"
        fi
        echo "   $disc: cdrskin's .v07t, wodim's cdtext.dat${audio:+, cdrdao read-toc TOC}: the same image"
done
echo "== 99 indexes, read back by cdrdao"
sox -D -n -r 44100 -c 2 -b 16 long.wav trim 0 100
{
        echo 'FILE "long.wav" WAVE'
        echo '  TRACK 01 AUDIO'
        for i in $(seq 1 99); do
                printf '    INDEX %02d %02d:%02d:00\n' "$i" $(((i - 1) / 60)) $(((i - 1) % 60))
        done
} > idx.cue
"$ctl" image create idx.cue -o idx.raw > /dev/null
timeout 300 "$drivesim" --drive "cdrom:$work/data/idx.raw" -- cdrdao read-toc --device /dev/sr0 \
        idx.toc > idx.log 2>&1 || fail "cdrdao read-toc (indexes): $(cat idx.log)"
want=$(for i in $(seq 2 99); do printf 'INDEX %02d:%02d:00\n' $(((i - 1) / 60)) $(((i - 1) % 60)); done)
[ "$(grep '^INDEX' idx.toc)" = "$want" ] || fail "cdrdao sees other indexes: $(grep '^INDEX' idx.toc | head -3)…"
echo "all reader checks passed"
