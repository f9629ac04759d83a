#!/bin/bash
# rawburnctl image create + inspect, end to end, on audio made by sox and an
# ISO made by genisoimage. Expected values come from the cue sheet and from
# sox's own sample counts and decoding (soxi, sox -t raw), not from rawburn.
#   create-inspect.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3 # Debian's Python (json module); python3 on PATH is another build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 a.wav synth 5 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 b.flac synth 6.5013 sine 660 gain -3 # not whole sectors
sox -n -r 44100 -c 2 -b 16 c.aiff synth 4 sine 880 gain -3
sectors() { local s; s=$(soxi -s "$1"); echo $(((s + 587) / 588)); }
A=$(sectors a.wav) B=$(sectors b.flac) C=$(sectors c.aiff)

cat > album.cue <<CUE
REM COMMENT "made by create-inspect.sh"
CATALOG 4006381333931
PERFORMER "The Testers"
TITLE "Première"
FILE "a.wav" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    ISRC USABC2600001
    INDEX 01 00:00:00
    INDEX 02 00:02:00
FILE "b.flac" WAVE
  TRACK 02 AUDIO
    TITLE "Two"
    FLAGS DCP
    INDEX 00 00:00:00
    INDEX 01 00:01:00
FILE "C.AIFF" AIFF
  TRACK 03 AUDIO
    TITLE "Three"
    PREGAP 00:02:00
    INDEX 01 00:00:00
CUE

echo "== cue sheet with WAV, FLAC, AIFF, CD-Text, ISRC, MCN, INDEX 00/02, PREGAP"
"$ctl" image create --allow-short-tracks album.cue -o disc.raw > create.log 2> create.err
grep -q 'C.AIFF" not found, using ./c.aiff' create.err || fail "no case-insensitive file warning"
"$ctl" image inspect --json disc.raw > disc.json
A=$A B=$B C=$C $py - disc.json <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
A, B, C = (int(os.environ[k]) for k in "ABC")
def check(what, got, want):
    if got != want:
        sys.exit(f"FAIL: {what}: got {got!r}, want {want!r}")
check("sector size", d["sector_size"], 2448)
check("Q CRC errors", d["q_crc_errors"], 0)
check("Q address errors", d["q_address_errors"], 0)
check("lead-in", (d["leadin"]["first_lba"], d["leadin"]["last_lba"]), (-22650, -151))
t1, t2, t3 = 0, A + 75, A + B + 150           # starts from the sheet
leadout = t3 + C
tracks = d["tracks"]
check("track count", len(tracks), 3)
check("t1 pause", tracks[0]["pause_lba"], -150)
check("t1 start", tracks[0]["start_lba"], t1)
check("t1 index 2", tracks[0]["indexes"][-1], {"index": 2, "lba": 150})
check("t1 ISRC", tracks[0]["isrc"], "USABC2600001")
check("t2 pause", tracks[1]["pause_lba"], A)
check("t2 start", tracks[1]["start_lba"], t2)
check("t2 control (DCP)", tracks[1]["control"], 2)
check("t3 pause", tracks[2]["pause_lba"], A + B)
check("t3 start", tracks[2]["start_lba"], t3)
check("t3 end", tracks[2]["end_lba"], leadout - 1)
check("lead-out", (d["leadout"]["lba"], d["leadout"]["sectors"]), (leadout, 6750))
check("MCN", d["mcn"], "4006381333931")
toc = {e["point"]: e for e in d["toc"]}
check("TOC points", sorted(toc), ["01", "02", "03", "A0", "A1", "A2"])
for p, lba in (("01", t1), ("02", t2), ("03", t3), ("A2", leadout)):
    check(f"TOC {p}", toc[p]["lba"], lba)
check("A0/A1", (toc["A0"]["pmin"], toc["A0"]["psec"], toc["A1"]["pmin"]), (1, 0, 3))
text = {(e["field"], e["track"]): e["text"] for e in d["cdtext"]["text"]}
check("CD-Text", text, {("TITLE", 0): "Première", ("TITLE", 1): "One", ("TITLE", 2): "Two",
                        ("TITLE", 3): "Three", ("PERFORMER", 0): "The Testers"})
check("CD-Text CRC errors", d["cdtext"]["crc_errors"], 0)
check("size", d["sectors"], 22650 + leadout + 6750)
PY

echo "== CDTEXTFILE: binary packs (READ TOC format 5 layout, 4-byte header)"
$py - disc.raw <<'PY'
import sys
f = open(sys.argv[1], "rb")
packs = {}
for i in range(8):  # the first sectors of the lead-in hold the whole pack list
    raw = f.read(2448)[2352:]
    sym = [b & 0x3F for b in raw]
    data = bytearray()
    for k in range(0, 96, 4):
        v = sym[k] << 18 | sym[k + 1] << 12 | sym[k + 2] << 6 | sym[k + 3]
        data += bytes([v >> 16, v >> 8 & 255, v & 255])
    for k in range(4):
        packs.setdefault(data[18 * k + 2], bytes(data[18 * k:18 * k + 18]))
body = b"".join(packs[s] for s in sorted(packs))
open("album.cdt", "wb").write(len(body + b"xx").to_bytes(2, "big") + b"\0\0" + body)
PY
grep -v -E "^ *(TITLE|PERFORMER)" album.cue | sed 's/^CATALOG/CDTEXTFILE "album.cdt"\nCATALOG/' > cdt.cue
"$ctl" image create --allow-short-tracks cdt.cue -o cdt.raw > /dev/null 2>&1
"$ctl" image inspect --json cdt.raw > cdt.json
$py -c 'import json,sys; a,b=(json.load(open(f))["cdtext"]["text"] for f in sys.argv[1:]); assert a==b and a, (a,b)' disc.json cdt.json ||
        fail "CD-Text from CDTEXTFILE differs"

echo "== audio bytes: the main channel is sox's own decoding, little-endian"
extract() { # image lba count -> main channel bytes of count sectors
        $py - "$@" <<'PY'
import sys
img, lba, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(img, "rb") as f:
    f.seek((lba + 22650) * 2448)
    out = sys.stdout.buffer
    for _ in range(n):
        out.write(f.read(2448)[:2352])
PY
}
sox a.wav -t raw -e signed -b 16 -L a.pcm
extract disc.raw 0 "$A" | head -c "$(stat -c %s a.pcm)" | cmp - a.pcm || fail "track 1 audio differs"
sox b.flac -t raw -e signed -b 16 -L b.pcm
extract disc.raw "$A" "$B" | head -c "$(stat -c %s b.pcm)" | cmp - b.pcm || fail "track 2 audio differs"
pad=$((B * 2352 - $(stat -c %s b.pcm)))
[ "$(extract disc.raw "$A" "$B" | tail -c $pad | tr -d '\0' | wc -c)" = 0 ] || fail "padding not silent"

echo "== byte order: BINARY little-endian and MOTOROLA big-endian give the same image"
sox a.wav -t raw -e signed -b 16 -B a.be
cp a.pcm a.le
printf 'FILE "a.le" BINARY\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n' > le.cue
printf 'FILE "a.be" MOTOROLA\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n' > be.cue
printf 'FILE "a.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n' > wav.cue
for s in le be wav; do "$ctl" image create --allow-short-tracks $s.cue -o $s.raw > /dev/null; done
cmp le.raw be.raw || fail "MOTOROLA image differs from BINARY"
cmp le.raw wav.raw || fail "WAVE image differs from BINARY"
"$ctl" image create --allow-short-tracks --dry-run be.cue | grep -q "big-endian (swapped)" || fail "byte order not shown"
for s in le be wav; do
        "$ctl" image create --allow-short-tracks --dry-run $s.cue 2>&1 >/dev/null | grep -q "byte-swapped" &&
                fail "$s.cue: byte-order warning on audio declared right"
done
printf 'FILE "a.be" BINARY\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n' > wrong.cue
"$ctl" image create --allow-short-tracks --dry-run wrong.cue 2>&1 >/dev/null | grep -q "track 01: the audio of ./a.be looks byte-swapped" ||
        fail "no warning for big-endian audio declared BINARY"
"$ctl" image create --allow-short-tracks --swap-audio=1 wrong.cue -o swapped.raw 2> err.txt > /dev/null
grep -q "byte-swapped" err.txt && fail "warning despite --swap-audio"
cmp swapped.raw le.raw || fail "--swap-audio did not give the little-endian image"

echo "== a cdrdao TOC file of the same album gives the same image"
cat > album.toc <<'TOC'
CD_DA
CATALOG "4006381333931"
CD_TEXT {
  LANGUAGE_MAP { 0 : EN }
  LANGUAGE 0 { TITLE "Première" PERFORMER "The Testers" }
}
// raw samples: big-endian, as cdrdao reads them
TRACK AUDIO
NO COPY
ISRC "USABC2600001"
CD_TEXT { LANGUAGE 0 { TITLE "One" } }
FILE "a.be" 0
INDEX 00:02:00
TRACK AUDIO
COPY
CD_TEXT { LANGUAGE 0 { TITLE "Two" } }
FILE "b.flac" 0
START 00:01:00
TRACK AUDIO
CD_TEXT { LANGUAGE 0 { TITLE "Three" } }
PREGAP 00:02:00
AUDIOFILE "c.aiff" 0
TOC
"$ctl" image create --allow-short-tracks album.toc -o toc.raw > /dev/null
cmp toc.raw disc.raw || fail "the TOC file's image differs from the cue sheet's"
printf 'CD_DA\nTRACK AUDIO\nFILE "a.be" 0\nINDEX 99:00:00\n' > bad.toc
if "$ctl" image create --allow-short-tracks bad.toc -o x.raw 2> err.txt; then fail "bad TOC accepted"; fi
grep -q "bad.toc:4: .*INDEX beyond" err.txt || fail "TOC error message: $(cat err.txt)"

echo "== a plain list of files is gapless"
"$ctl" image create --allow-short-tracks a.wav b.flac -o list.raw > /dev/null
"$ctl" image inspect --json list.raw > list.json
A=$A $py - list.json <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
A = int(os.environ["A"])
t = d["tracks"]
assert t[1]["pause_lba"] is None, t[1]
assert t[1]["start_lba"] == A, (t[1], A)
assert d["q_crc_errors"] == 0
PY

echo "== hidden track one audio: INDEX 00 audio after the 2 s pause"
printf 'FILE "a.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 00 00:00:00\n  INDEX 01 00:03:00\nFILE "c.aiff" AIFF\n TRACK 02 AUDIO\n  INDEX 01 00:00:00\n' > htoa.cue
"$ctl" image create --allow-short-tracks htoa.cue -o htoa.raw > /dev/null
"$ctl" image inspect --json htoa.raw > htoa.json
$py - htoa.json <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["tracks"]
assert (t[0]["pause_lba"], t[0]["start_lba"]) == (-150, 225), t[0]
PY
extract htoa.raw 0 1 | cmp - <(head -c 2352 a.pcm) || fail "HTOA audio is not at LBA 0"

echo "== mixed mode: an ISO as a Mode 1 track, then audio"
mkdir iso && echo "hello rawburn" > iso/README.TXT
genisoimage -quiet -V RAWBURN -o d.iso iso
"$ctl" image create --allow-short-tracks d.iso a.wav -o mixed.raw > /dev/null
"$ctl" image inspect --json mixed.raw > mixed.json
ISO=$(($(stat -c %s d.iso) / 2048)) $py - mixed.json mixed.raw d.iso <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
n = int(os.environ["ISO"])
t = d["tracks"]
assert t[0]["mode"] == "mode1" and t[0]["control"] == 4, t[0]
assert t[0]["data_sectors"] == n and t[0]["data_errors"] == 0, t[0]
assert t[1]["mode"] == "audio" and t[1]["pause_lba"] == n and t[1]["start_lba"] == n + 150, t[1]
# The ECMA-130 Annex B scrambler, written here from the standard: 15-bit LFSR
# x^15 + x + 1, seed 1, LSB first, over bytes 12..2351.
def scrambler():
    reg, out = 1, bytearray()
    for _ in range(2340):
        b = 0
        for bit in range(8):
            b |= (reg & 1) << bit
            fb = (reg ^ (reg >> 1)) & 1
            reg = (reg >> 1) | (fb << 14)
        out.append(b)
    return out
key = scrambler()
iso = open(sys.argv[3], "rb").read()
with open(sys.argv[2], "rb") as f:
    for lba in (0, 16, n - 1):
        f.seek((lba + 22650) * 2448)
        s = bytearray(f.read(2352))
        for i in range(2340):
            s[12 + i] ^= key[i]
        assert s[:12] == b"\x00" + b"\xff" * 10 + b"\x00"
        m, sec, fr = divmod(divmod(lba + 150, 75)[0], 60) + (divmod(lba + 150, 75)[1],)
        assert s[12:16] == bytes([int(str(m), 16), int(str(sec), 16), int(str(fr), 16), 1]), s[12:16]
        assert s[16:2064] == iso[lba * 2048:(lba + 1) * 2048], lba
PY

echo "== refusals name the file and line"
printf 'FILE "missing.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n' > missing.cue
if "$ctl" image create --allow-short-tracks missing.cue -o x.raw 2> err.txt; then fail "missing file accepted"; fi
grep -q "missing.cue:1: not found: missing.wav (looked for: ./missing.wav)" err.txt || fail "missing-file message: $(cat err.txt)"
sox -n -r 48000 -c 2 -b 16 k48.wav synth 1 sine 100
if "$ctl" image create --allow-short-tracks k48.wav -o x.raw 2> err.txt; then fail "48 kHz accepted"; fi
grep -q "48000 Hz" err.txt || fail "48 kHz message: $(cat err.txt)"
sox -n -r 44100 -c 2 -b 8 b8.wav synth 1 sine 100
if "$ctl" image create --allow-short-tracks b8.wav -o x.raw 2> err.txt; then fail "8-bit accepted"; fi
grep -q "16-bit PCM" err.txt || fail "8-bit message: $(cat err.txt)"
head -c 1000 a.wav > trunc.wav
printf 'FILE "trunc.wav" WAVE\n TRACK 01 AUDIO\n  INDEX 01 00:04:00\n' > trunc.cue
if "$ctl" image create --allow-short-tracks trunc.cue -o x.raw 2> err.txt; then fail "truncated file accepted"; fi
grep -q "trunc.cue:3:" err.txt || fail "truncated-file message: $(cat err.txt)"
if "$ctl" image create --allow-short-tracks --media 74 a.wav -o x.raw --leadout-limit 10 2> err.txt; then fail "limit ignored"; fi
grep -q "does not fit" err.txt || fail "limit message: $(cat err.txt)"
head -c 100000 disc.raw > cut.raw
"$ctl" image inspect cut.raw > cut.txt || true
grep -q "less than one" cut.txt || fail "truncated image not reported"

echo "== CloneCD: main channel and subchannel burned as given"
# clone.img: track 1 = a.pcm, track 2 (2 s pause) = c.aiff; clone.sub is
# written here from the Red Book Q layout, with R-W filled with a pattern
# and one Q CRC broken on purpose; both must reach the image unchanged.
sox c.aiff -t raw -e signed -b 16 -L c.pcm
A=$A C=$C $py "$here/make-clonecd.py"
"$ctl" image create --allow-short-tracks clone.ccd -o clone.raw > /dev/null
rc=0; "$ctl" image inspect --json clone.raw > clone.json || rc=$?
[ $rc = 3 ] || fail "inspect exit status $rc, want 3 (one Q CRC error)"
A=$A C=$C $py - clone.json clone.raw clone.sub clone.img <<'PY'
import json, os, sys
A, C = int(os.environ["A"]), int(os.environ["C"])
d = json.load(open(sys.argv[1]))
assert d["q_crc_errors"] == 1, d["q_crc_errors"]
t = d["tracks"]
assert [(x["pause_lba"], x["start_lba"]) for x in t] == [(-150, 0), (A, A + 150)], t
assert d["leadout"]["lba"] == A + 150 + C, d["leadout"]
sub, img = open(sys.argv[3], "rb").read(), open(sys.argv[4], "rb").read()
with open(sys.argv[2], "rb") as f:
    for lba in list(range(0, A + 150 + C, 37)) + [100, A + 149]:
        f.seek((lba + 22650) * 2448)
        s = f.read(2448)
        assert s[:2352] == img[lba * 2352:(lba + 1) * 2352], lba
        raw = s[2352:]
        # interleaved -> channel-sequential: channel c is bit 7-c of every byte
        packed = bytearray(96)
        for c in range(8):
            for n in range(96):
                if raw[n] >> (7 - c) & 1:
                    packed[c * 12 + n // 8] |= 0x80 >> (n % 8)
        assert bytes(packed) == sub[lba * 96:(lba + 1) * 96], lba
PY

if "$ctl" image create --allow-short-tracks -t cooked clone.ccd -o x.raw 2> err.txt; then fail "cooked CloneCD accepted"; fi
grep -q "use sector type raw" err.txt || fail "cooked CloneCD message: $(cat err.txt)"

echo "== PQ-only images"
"$ctl" image create --allow-short-tracks -t pq a.wav -o pq.raw > /dev/null
[ $(($(stat -c %s pq.raw) % 2368)) = 0 ] || fail "pq size"
"$ctl" image inspect --json pq.raw | $py -c 'import json,sys; d=json.load(sys.stdin); assert d["sector_size"]==2368 and d["q_crc_errors"]==0 and len(d["tracks"])==1, d'
echo "all image checks passed"
