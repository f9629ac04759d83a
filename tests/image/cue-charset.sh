#!/bin/bash
# Cue sheets in the code pages rippers write (UTF-8 with and without BOM,
# CRLF and CR-only lines, UTF-16 LE/BE with and without BOM, CP1252, CP1251,
# Shift-JIS) give the same image; converted with iconv(1) here, not by
# rawburn. Text CD-Text cannot hold is transliterated, each field said.
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

echo "== UTF-16 (Windows \"Unicode\"), with and without a byte-order mark; CR-only lines"
iconv -f UTF-8 -t UTF-16 utf8.cue > utf16.cue          # glibc writes a BOM, little-endian
iconv -f UTF-8 -t UTF-16LE utf8.cue > utf16le.cue      # no BOM
iconv -f UTF-8 -t UTF-16BE utf8.cue > utf16be.cue      # no BOM
{ printf '\xfe\xff'; cat utf16be.cue; } > utf16be-bom.cue
tr '\n' '\r' < utf8.cue > cr.cue
iconv -f UTF-8 -t CP1252 cr.cue > cp1252-cr.cue
for v in utf16 utf16le utf16be utf16be-bom cr cp1252-cr; do
        echo "== $v"
        "$ctl" image create $v.cue -o $v.raw 2> $v.err > /dev/null || fail "$v: $(cat $v.err)"
        cmp utf8.raw $v.raw || fail "$v image differs"
done
grep -q "utf16le.cue: not UTF-8, read as UTF-16LE" utf16le.err || fail "no UTF-16LE note: $(cat utf16le.err)"
grep -q "utf16be.cue: not UTF-8, read as UTF-16BE" utf16be.err || fail "no UTF-16BE note: $(cat utf16be.err)"
grep -q "not UTF-8" cr.err && fail "CR-only UTF-8 sheet: $(cat cr.err)"
# An error in a CR-only sheet names its line.
printf 'FILE "a.wav" WAVE\r  TRACK 01 AUDIO\r    INDEX 01 00:00:75\r' > cr-bad.cue
if "$ctl" image create --dry-run cr-bad.cue > /dev/null 2> cr-bad.err; then fail "cr-bad accepted"; fi
grep -q "cr-bad.cue:3: " cr-bad.err || fail "CR-only line number: $(cat cr-bad.err)"

echo "== CP1251 (Cyrillic): detected, and transliterated for CD-Text, each field said"
cat > cyr-utf8.cue <<'CUE'
PERFORMER "Кино"
TITLE "Звезда по имени Солнце"
FILE "a.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Пачка сигарет"
    INDEX 01 00:00:00
CUE
iconv -f UTF-8 -t CP1251 cyr-utf8.cue > cp1251.cue
"$ctl" image create cyr-utf8.cue -o cyr-utf8.raw 2> cyr-utf8.err > cyr-utf8.out
"$ctl" image create cp1251.cue -o cp1251.raw 2> cp1251.err > cp1251.out
cmp cyr-utf8.raw cp1251.raw || fail "CP1251 image differs from the UTF-8 sheet's"
grep -q "cp1251.cue: not UTF-8, read as CP1251" cp1251.err || fail "no CP1251 note: $(cat cp1251.err)"
grep -qF 'transliterated disc TITLE "Звезда по имени Солнце" as "Zvezda po imeni Solntse", track 01 TITLE "Пачка сигарет" as "Pachka sigaret", disc PERFORMER "Кино" as "Kino"' cp1251.out ||
        fail "transliteration not said: $(cat cp1251.out)"
"$ctl" image inspect cp1251.raw > cp1251.inspect
grep -q "TITLE  *disc  *Zvezda po imeni Solntse" cp1251.inspect || fail "CD-Text: $(cat cp1251.inspect)"
# Never the CP1252 reading of those bytes (the old guess: "Çâåçäà ïî èìåíè Ñîëíöå").
grep -q "Çâåçäà" cp1251.inspect && fail "mojibake burned"

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
