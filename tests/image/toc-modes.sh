#!/bin/bash
# cdrdao TOC details (issue 17): a FILE/DATAFILE length of 00:00:00 means "to
# the end of the file", as cdrdao reads it; Mode 2 tracks in every form
# cdrdao names (MODE2 formless, MODE2_FORM1, MODE2_FORM2, MODE2_FORM_MIX, MODE2_RAW) are
# made, served by drivesim as a finished disc, read back by cdrdao read-cd
# (cooked and --read-raw) and the TOC it writes burns to the same image; a
# CD_ROM TOC keeps its session format with a Mode 2 track.
#   toc-modes.sh RAWBURNCTL DRIVESIM
set -euo pipefail
ctl=$(realpath "$1")
drivesim=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Track starts and the lead-out as rawburnctl places them, and as cdrdao reads the same TOC.
our_starts() {
        "$ctl" image create --dry-run "$1" 2>/dev/null | sed -n 's/^track .* (LBA \(-\?[0-9]*\)).*/\1/p; s/^lead-out: .*(LBA \([0-9]*\)).*/\1/p' | tr '\n' ' '
}
cdrdao_starts() {
        cdrdao show-toc "$1" 2>&1 | awk '/START/ { gsub(/[()]/, " "); print $3 } /END/ { gsub(/[()]/, " "); e = $3 } END { print e }' | tr '\n' ' '
}

echo "== a length of 00:00:00 is the rest of the file"
sox -n -r 44100 -c 2 -b 16 -t raw -e signed -B album.cdr synth 12 sine 440 gain -3
head -c $((2048 * 400)) /dev/urandom > data.iso
cat > zero.toc <<'TOC'
CD_ROM
TRACK MODE1
DATAFILE "data.iso" 00:00:00
TRACK AUDIO
PREGAP 00:02:00
FILE "album.cdr" 00:00:00 00:05:00
TRACK AUDIO
FILE "album.cdr" 00:05:00 00:00:00
TOC
sed 's/DATAFILE "data.iso" 00:00:00/DATAFILE "data.iso" 00:05:25/; s/00:05:00 00:00:00/00:05:00 00:07:00/' zero.toc > explicit.toc
"$ctl" image create zero.toc -o zero.raw > /dev/null
"$ctl" image create explicit.toc -o explicit.raw > /dev/null
cmp zero.raw explicit.raw || fail "00:00:00 is not the rest of the file"
[ "$(our_starts zero.toc)" = "$(cdrdao_starts zero.toc)" ] ||
        fail "zero: rawburnctl $(our_starts zero.toc), cdrdao $(cdrdao_starts zero.toc)"

echo "== Mode 2 tracks round-trip through cdrdao read-cd on drivesim"
head -c $((2048 * 300)) /dev/urandom > form1.bin
head -c $((2324 * 300)) /dev/urandom > form2.bin
# Form 1 and Form 2 sectors alternating, each with its own subheader.
python3 - <<'PY'
import os
out = bytearray()
for i in range(300):
    sub = 0x20 if i % 2 else 0x08
    out += bytes([1, 0, sub, 0, 1, 0, sub, 0]) + os.urandom(2328)
open("mix.bin", "wb").write(out)
PY
printf 'CD_ROM_XA\nTRACK MODE2_FORM1\nDATAFILE "form1.bin"\n' > form1.toc
printf 'CD_ROM_XA\nTRACK MODE2_FORM2\nDATAFILE "form2.bin"\n' > form2.toc
printf 'CD_ROM_XA\nTRACK MODE2_FORM_MIX\nDATAFILE "mix.bin"\n' > mix.toc
# Mode 2 formless (cdrdao MODE2): 2336 bytes as they are, no subheader, EDC or ECC;
# a plain CD-ROM session, as cdrdao writes its TOC.
head -c $((2336 * 300)) /dev/urandom > formless.bin
printf 'CD_ROM\nTRACK MODE2\nDATAFILE "formless.bin"\n' > formless.toc
"$ctl" image create formless.toc -o formless.raw > /dev/null
python3 - "$here" <<'PY' || fail "formless: sectors are not the data as given"
import sys
sys.path.insert(0, sys.argv[1])
from discimage import descramble
data = open("formless.bin", "rb").read()
with open("formless.raw", "rb") as f:
    for i in (0, 1, 299):
        f.seek((22650 + i) * 2448)
        sector = descramble(f.read(2448))
        if sector[15] != 2 or sector[16:2352] != data[i * 2336:(i + 1) * 2336]:
            sys.exit(f"sector {i}: mode {sector[15]}, data {'same' if sector[16:2352] == data[i * 2336:(i + 1) * 2336] else 'changed'}")
PY
for form in form1 form2 mix formless; do
        "$ctl" image create $form.toc -o $form.raw > /dev/null 2> $form.err || fail "$form: $(cat $form.err)"
        type=20 cooked=MODE2_FORM_MIX raw=MODE2_RAW
        [ $form = formless ] && type=00 cooked=MODE2 raw=MODE2
        "$ctl" image create --dry-run $form.toc | grep -q "^TOC: .*A0:01:$type:00" ||
                fail "$form: not disc type $type: $("$ctl" image create --dry-run $form.toc | grep ^TOC)"
        timeout 300 "$drivesim" --drive "cdrom:$work/$form.raw" -- sh -c "
                cdrdao read-cd --device /dev/sr0 --datafile $form-cooked.bin $form-cooked.toc > $form-cooked.log 2>&1 &&
                cdrdao read-cd --read-raw --device /dev/sr0 --datafile $form-raw.bin $form-raw.toc > $form-raw.log 2>&1" ||
                fail "$form: cdrdao read-cd: $(tail -3 $form-*.log)"
        grep -q "^TRACK $cooked\$" $form-cooked.toc || fail "$form: read-cd wrote $(grep TRACK $form-cooked.toc)"
        grep -q "^TRACK $raw\$" $form-raw.toc || fail "$form: read-cd --read-raw wrote $(grep TRACK $form-raw.toc)"
        for back in cooked raw; do
                "$ctl" image create $form-$back.toc -o $form-$back.raw > /dev/null 2> $form-$back.err ||
                        fail "$form-$back.toc: $(cat $form-$back.err)"
                cmp $form.raw $form-$back.raw || fail "$form: cdrdao's $back TOC gives another image"
        done
        echo "   $form: cdrdao's $cooked and $raw TOCs give the same image"
done

echo "== a CD_ROM TOC with a Mode 2 track keeps its session format"
sed 's/CD_ROM_XA/CD_ROM/' form1.toc > cdrom-mode2.toc
"$ctl" image create --dry-run cdrom-mode2.toc | grep -q "^TOC: .*A0:01:00:00" ||
        fail "CD_ROM: $("$ctl" image create --dry-run cdrom-mode2.toc | grep ^TOC)"
echo OK
