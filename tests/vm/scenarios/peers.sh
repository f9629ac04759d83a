#!/bin/bash
# cdrdao (--driver generic-mmc-raw) and wodim (-raw96r) burn to the USB
# drivesim through the kernel's sg and sr drivers, as they would to hardware.
. /usr/local/lib/rawburn-vm/lib.sh

drive=$(drive_names | head -n1)
sg=$(drivesim_ctl list | awk -v d="$drive" '$1 == d {print $3}')
echo "drive: /dev/$drive, $sg"
[ -n "$sg" ] || fail "no sg node for $drive"
fresh_disc "$drive" # whatever the scenarios before left in it
# rawburnd may hold the drive: the peers need it to themselves, as on a desktop.
systemctl stop rawburnd.service

cat >/tmp/album.toc <<TOC
CD_DA
TRACK AUDIO
FILE "$ALBUM/01.wav" 0
TRACK AUDIO
PREGAP 0:2:0
FILE "$ALBUM/02.wav" 0
TOC
say "cdrdao write --driver generic-mmc-raw"
check "cdrdao write" cdrdao write --device "$sg" --driver generic-mmc-raw --speed 16 -n /tmp/album.toc
check "cdrdao read-toc" cdrdao read-toc --device "$sg" /tmp/cdrdao-back.toc
check "2 tracks back" test "$(grep -c '^TRACK AUDIO' /tmp/cdrdao-back.toc)" = 2
fresh_disc "$drive"

say "wodim -raw96r"
check "wodim -atip" wodim -atip dev="/dev/$drive"
check "wodim -raw96r" wodim -v dev="/dev/$drive" -raw96r speed=16 -audio "$ALBUM/01.wav" "$ALBUM/02.wav" "$ALBUM/03.wav"
check "cdrdao read-toc" cdrdao read-toc --device "$sg" /tmp/wodim-back.toc
check "3 tracks back" test "$(grep -c '^TRACK AUDIO' /tmp/wodim-back.toc)" = 3
fresh_disc "$drive"
