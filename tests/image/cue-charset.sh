#!/bin/bash
# Cue sheets in the code pages rippers write (UTF-8 with and without BOM,
# CRLF, CP1252, Shift-JIS) give the same image; converted with iconv(1)
# here, not by rawburn.
#   cue-charset.sh RAWBURNCTL
set -euo pipefail
ctl=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

sox -n -r 44100 -c 2 -b 16 a.wav synth 5 sine 440 gain -3
cat > utf8.cue <<'CUE'
PERFORMER "Café Tacvba"
TITLE "Première"
FILE "a.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Déjà vu"
    INDEX 01 00:00:00
CUE
printf '\xef\xbb\xbf' > bom.cue; cat utf8.cue >> bom.cue
sed 's/$/\r/' utf8.cue > crlf.cue
iconv -f UTF-8 -t CP1252 utf8.cue > cp1252.cue
iconv -f UTF-8 -t CP1252 crlf.cue > cp1252-crlf.cue

"$ctl" image create utf8.cue -o utf8.raw 2> utf8.err > /dev/null
[ ! -s utf8.err ] || fail "warnings for UTF-8: $(cat utf8.err)"
"$ctl" image inspect utf8.raw | grep -q 'Déjà vu' || fail "CD-Text title not read back"
for v in bom crlf cp1252 cp1252-crlf; do
        echo "== $v"
        "$ctl" image create $v.cue -o $v.raw 2> $v.err > /dev/null
        cmp utf8.raw $v.raw || fail "$v image differs"
done
grep -q "cp1252.cue: not UTF-8, read as CP1252" cp1252.err || fail "no CP1252 note: $(cat cp1252.err)"

echo "== Shift-JIS, detected and given"
printf 'TITLE "\x82\xa0\x82\xa2\x82\xa4"\nFILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' > sjis.cue
"$ctl" image create --dry-run sjis.cue > /dev/null 2> sjis.err || fail "sjis: $(cat sjis.err)"
grep -q "read as SHIFT_JIS" sjis.err || fail "no Shift-JIS note: $(cat sjis.err)"
# Japanese text makes the CD-Text block MS-JIS (language Japanese), with nothing lost.
"$ctl" image create --dry-run sjis.cue > sjis.out 2>&1
grep -q "block 0 Japanese MS-JIS" sjis.out || fail "CD-Text block not MS-JIS: $(cat sjis.out)"
grep -q "became" sjis.out && fail "characters lost: $(cat sjis.out)"
"$ctl" image create --dry-run --cue-charset SHIFT_JIS sjis.cue > /dev/null 2> sjis2.err
grep -q "read as" sjis2.err && fail "note although the charset was given"

echo "== an impossible byte names the line"
printf 'REM x\nTITLE "\x81"\nFILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' > bad.cue
if "$ctl" image create --dry-run bad.cue > /dev/null 2> bad.err; then fail "bad accepted"; fi
grep -q "bad.cue: line 2: byte 81 is not valid CP1252 (give the sheet's character set with --cue-charset)" bad.err ||
        fail "bad: $(cat bad.err)"
echo OK
