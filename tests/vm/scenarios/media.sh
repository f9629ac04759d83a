#!/bin/bash
# Eject and insert on the drive reach rawburnd through the kernel's own
# media-event polling (GET EVENT STATUS NOTIFICATION), its change uevents and
# udevd: the properties follow, with PropertiesChanged on the bus. A burn sent
# while udevd still processes the drive's event waits for udevd to let go.
. /usr/local/lib/rawburn-vm/lib.sh

drive=$(drive_names | head -n1)
path=$(recorder_path "$drive")
busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null ||
        fail "rawburnd does not answer"
# Both monitors print a header once subscribed; the events come after it.
gdbus monitor --system --dest org.rawburn1 --object-path "$path" >/tmp/media-signals.txt 2>&1 &
monitor=$!
udevadm monitor --kernel --udev --property --subsystem-match=block >/tmp/media-uevents.txt 2>&1 &
umon=$!
wait_until 30 grep -q 'Monitoring signals' /tmp/media-signals.txt || fail "gdbus monitor did not start"
wait_until 30 grep -q 'UDEV' /tmp/media-uevents.txt || fail "udevadm monitor did not start"

say "eject"
drivesim_ctl "$drive eject"
check "the kernel announced it (DISK_MEDIA_CHANGE or DISK_EJECT_REQUEST)" \
        wait_until 30 grep -Eq 'DISK_(MEDIA_CHANGE|EJECT_REQUEST)=1' /tmp/media-uevents.txt
check "MediaPresent false" wait_until 30 sh -c \
        "busctl get-property org.rawburn1 $path org.rawburn1.DiscRecorder2 MediaPresent | grep -qx 'b false'"
check "PropertiesChanged said so" wait_until 10 sh -c \
        "grep PropertiesChanged /tmp/media-signals.txt | grep -q \"'MediaPresent': <false>\""

say "insert a blank CD-RW"
drivesim_ctl "$drive take" "$drive insert cdrw74"
check "MediaPresent true" wait_until 30 sh -c \
        "busctl get-property org.rawburn1 $path org.rawburn1.DiscRecorder2 MediaPresent | grep -qx 'b true'"
check "the disc is a CD-RW (CurrentPhysicalMediaType 3, IMAPI_MEDIA_TYPE_CDRW)" wait_until 30 sh -c \
        "busctl get-property org.rawburn1 $path org.rawburn1.DiscFormat2RawCD CurrentPhysicalMediaType | grep -qx 'i 3'"
check "PropertiesChanged said so" wait_until 10 sh -c \
        "grep PropertiesChanged /tmp/media-signals.txt | grep -q \"'MediaPresent': <true>\""
check "udev's cdrom_id saw the CD-RW" wait_until 30 sh -c \
        "udevadm info -q property /dev/$drive | grep -qx ID_CDROM_MEDIA_CD_RW=1"
rawburnctl info "$drive"

kill $monitor $umon 2>/dev/null
say "back to a blank CD-R"
fresh_disc "$drive"
check "a CD-R again (CurrentPhysicalMediaType 2)" wait_until 30 sh -c \
        "busctl get-property org.rawburn1 $path org.rawburn1.DiscFormat2RawCD CurrentPhysicalMediaType | grep -qx 'i 2'"

say "a burn sent while udevd still processes the drive's event waits for it"
# udevd's worker holds a shared flock on the node for as long as it processes
# an event (BLOCK_DEVICE_LOCKING); a rule that sleeps stands for cdrom_id on
# a disc that is slow to spin up. The event is a synthetic one, with an
# argument the rule looks for (the kernel passes it as SYNTH_ARG_...).
cat >/etc/udev/rules.d/99-rawburn-vm-slow.rules <<'RULE'
ACTION=="change", SUBSYSTEM=="block", KERNEL=="sr*", ENV{SYNTH_ARG_RAWBURNVMSLOW}=="?*", RUN+="/bin/sleep $env{SYNTH_ARG_RAWBURNVMSLOW}"
RULE
udevadm control --reload
ino=$(stat -c %i "/dev/$drive")
# (The kernel takes letters and digits only in such a key, and no newline.)
printf 'change 6d1b1d2e-8b0b-4f55-9a3c-7a6b7c1d0e01 RAWBURNVMSLOW=10' >"/sys/block/$drive/uevent" ||
        fail "the kernel refused the synthetic event"
check "udevd processes it, holding a shared flock on /dev/$drive" wait_until 30 sh -c \
        "grep -Eq 'FLOCK +ADVISORY +READ +[0-9]+ [0-9a-f]+:[0-9a-f]+:$ino ' /proc/locks"
grep -E ":$ino " /proc/locks
check "the burn waits, then burns" rawburnctl burn --drive "$drive" "$ALBUM/album.cue"
check "rawburnd said it waited for udev" sh -c \
        "journalctl -b -u rawburnd --no-pager | grep -E '$drive: [A-Za-z0-9]+ waits for udev to finish with the drive'"
rm -f /etc/udev/rules.d/99-rawburn-vm-slow.rules
udevadm control --reload
fresh_disc "$drive"
