#!/bin/bash
# A burn from a cue sheet by alice in her tty1 session with `rawburnctl burn
# --verify`, no password. During it: the writer thread is SCHED_FIFO inside
# the unprivileged service, the tray is locked (the kernel's eject fails),
# rawburnd holds a logind inhibitor. After it: udev saw rawburnd's change
# event for the drive, the tray is free, and the disc reads back with cdrdao,
# cd-info and cdparanoia through the kernel, no preload.
. /usr/local/lib/rawburn-vm/lib.sh

drive=$(drive_names | head -n1)
path=$(recorder_path "$drive")
wait_for_session
fresh_disc "$drive" # whatever the scenarios before left in it
say "alice's session: $(loginctl show-session "$(cat "$(session_dir)/ready")" -p Seat -p TTY -p Active -p Remote -p Class | tr '\n' ' ')"

udevadm monitor --udev --property --subsystem-match=block >/tmp/burn-uevents.txt 2>&1 &
umon=$!
wait_until 30 grep -q 'UDEV' /tmp/burn-uevents.txt || fail "udevadm monitor did not start"

say "alice: rawburnctl burn --verify --no-ask-password album.cue"
in_session "rawburnctl burn --verify --no-ask-password --drive $drive $ALBUM/album.cue" >/tmp/burn.log 2>&1 &
burn=$!
wait_writing "$drive" 180 || { cat /tmp/burn.log; fail "the burn did not start writing"; }

say "during the burn"
pid=$(rawburnd_pid)
ps -L -o tid,user,cls,rtprio,ni,comm -p "$pid"
check "a thread of rawburnd (user rawburn) runs SCHED_FIFO" \
        sh -c "ps -L -o user=,cls= -p $pid | grep -Eq '^rawburn +FF$'"
busctl get-property org.rawburn1 "$path" org.rawburn1.DiscFormat2RawCD WriterScheduling
check "WriterScheduling says SCHED_FIFO" \
        sh -c "busctl get-property org.rawburn1 $path org.rawburn1.DiscFormat2RawCD WriterScheduling | grep -q SCHED_FIFO"
if eject "/dev/$drive" 2>/tmp/eject.err; then
        fail "eject /dev/$drive opened a locked tray in the middle of a burn"
fi
echo "eject: $(cat /tmp/eject.err)"
check "drivesim: the tray is locked" sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$drive state' | grep -qx 'locked=yes'"
# The button: the drive keeps the eject request for the kernel, which holds
# its media polling back while rawburnd has the drive open for writing with
# O_EXCL (sr's DISK_EVENT_FLAG_BLOCK_ON_EXCL_WRITE): nothing moves now.
drivesim_ctl "$drive eject"
udevadm settle --timeout=60
check "the button did not open the tray" sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$drive state' | grep -qx 'tray=closed'"
check "still writing" test "$(drive_state "$drive")" = writing
systemd-inhibit --list --no-pager | tee /tmp/inhibitors.txt
check "rawburnd's inhibitor is listed" grep -q rawburn /tmp/inhibitors.txt

wait $burn
rc=$?
cat /tmp/burn.log
check "rawburnctl burn --verify succeeded in alice's session (exit $rc)" test "$rc" = 0
check "--verify compared the sectors" grep -qi 'verif' /tmp/burn.log

say "after the burn"
check "udev saw rawburnd's change event for $drive (SYNTH_UUID: written to uevent)" \
        wait_until 30 sh -c "awk -v RS= '/ACTION=change/ && /DEVNAME=\\/dev\\/$drive/ && /SYNTH_UUID=/' /tmp/burn-uevents.txt | grep -q ."
check "no 'cannot announce' in rawburnd's journal" \
        sh -c "! journalctl -b -u rawburnd --no-pager | grep -q 'cannot announce'"
# Let go, the drive reports the press: the kernel's DISK_EJECT_REQUEST, and
# udev's cdrom_id --eject-media opens the tray. The disc comes out burned and
# checked; it goes back in for the readers.
check "the press during the burn opens the tray once the drive is let go" \
        wait_until 30 sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$drive state' | grep -qx 'tray=open'"
check "udev saw the eject request" grep -q 'DISK_EJECT_REQUEST=1' /tmp/burn-uevents.txt
kill $umon
udevadm monitor --udev --property --subsystem-match=block >/tmp/close-uevents.txt 2>&1 &
umon=$!
wait_until 30 grep -q 'UDEV' /tmp/close-uevents.txt || fail "udevadm monitor did not start"
drivesim_ctl "$drive close-tray" >/dev/null
check "the kernel saw the disc back (DISK_MEDIA_CHANGE)" \
        wait_until 30 grep -q 'DISK_MEDIA_CHANGE=1' /tmp/close-uevents.txt
kill $umon
udevadm settle --timeout=60
# (Free means nothing holds the drive: the kernel's eject at the end works;
# drivesim's own locked= is no guide, since udev's cdrom_id --lock-media
# locks every drive holding a disc at each change event.)

say "read back through the kernel"
check "cdrdao read-toc" cdrdao read-toc --device "/dev/$drive" /tmp/readback.toc
grep -E 'TRACK|TITLE|START|PREGAP' /tmp/readback.toc
check "3 tracks" test "$(grep -c '^TRACK AUDIO' /tmp/readback.toc)" = 3
check "CD-Text title" grep -q 'TITLE "rawburn real stack"' /tmp/readback.toc
check "track 2's pregap" grep -q 'START 00:02:00' /tmp/readback.toc
check "cd-info" cd-info --no-device-info --no-cddb -C "/dev/$drive" >/tmp/cd-info.txt 2>&1
grep -E '^ *[0-9]+: ' /tmp/cd-info.txt | head
check "cd-info sees 3 audio tracks" test "$(grep -Ec '^ +[123]: .*audio' /tmp/cd-info.txt)" = 3
check "cdparanoia -Q" cdparanoia -d "/dev/$drive" -Q >/tmp/paranoia.txt 2>&1
grep -E '^ +[0-9]+\.' /tmp/paranoia.txt
check "cdparanoia sees 3 tracks" test "$(grep -Ec '^ +[123]\. ' /tmp/paranoia.txt)" = 3

say "the tray is free: nothing holds the drive, the kernel's eject works"
check "eject /dev/$drive" eject "/dev/$drive"
fresh_disc "$drive"
