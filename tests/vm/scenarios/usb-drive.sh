#!/bin/bash
# drivesim-usb seen through a real kernel (the real-stack scenario vm-usb-drive, run last:
# it unplugs the drive drivesim-usb.service plugged in at boot). Prints what the kernel,
# udev and the burning programs make of it; exits 1 at the first thing that is not as a
# USB CD writer's would be: the USB identity, the nodes and udev's properties, peers
# burning, media events, the button on a locked tray, plug and unplug, a command that
# gets no CSW (the kernel resets the device), and a device that goes away.
set -uo pipefail
lib=/usr/local/lib/rawburn-vm
ctl() { "$lib/drivesim-ctl" /run/drivesim/control "$@"; }
say() { echo "== $*"; }
fail() {
        echo "FAIL: $*"
        journalctl -b --no-pager -u drivesim-usb -n 40
        journalctl -k --no-pager | tail -n 40
        exit 1
}
wait_until() {
        local i
        for ((i = 0; i < $1 * 5; i++)); do
                "${@:2}" && return 0
                sleep 0.2
        done
        return 1
}

say "the kernel's log of the plug-in"
journalctl -k --no-pager | grep -aE "usb 1-1|usb-storage|sr |sr[0-9]|sg[0-9]|cdrom" | head -n 40

say "drivesim-usb.service"
systemctl is-active drivesim-usb.service || fail "drivesim-usb.service is not active"
systemctl show -p Type -p ActiveState -p SubState drivesim-usb.service
ctl list || fail "no answer on the control socket"
read -r name dev sg syspath < <(ctl list | head -n1)
echo "drive $name: $dev $sg $syspath"

say "the USB device as the host sees it"
for d in /sys/bus/usb/devices/*; do
        [ -f "$d/idVendor" ] || continue
        echo "$(basename "$d"): $(cat "$d/idVendor"):$(cat "$d/idProduct") $(cat "$d/manufacturer" 2>/dev/null) / $(cat "$d/product" 2>/dev/null) / serial $(cat "$d/serial" 2>/dev/null) speed $(cat "$d/speed")"
done
for i in /sys/bus/usb/devices/*:1.0; do
        [ -f "$i/bInterfaceClass" ] || continue
        echo "$(basename "$i"): class $(cat "$i/bInterfaceClass") subclass $(cat "$i/bInterfaceSubClass") protocol $(cat "$i/bInterfaceProtocol") driver $(basename "$(readlink "$i/driver" 2>/dev/null)")"
done
dmesg | grep -E "usb-storage|scsi|sr |sr[0-9]|cdrom|Attached" | tail -n 20

say "device nodes and udev"
ls -l "$dev" "$sg" || fail "no device nodes"
[ "$(stat -c %G "$dev")" = cdrom ] || fail "$dev is not group cdrom"
[ "$(stat -c %G "$sg")" = cdrom ] || fail "$sg is not group cdrom"
udevadm info "$dev" | grep -E "ID_CDROM|ID_BUS|ID_MODEL|ID_VENDOR|ID_SERIAL|DEVLINKS" ||
        fail "udev has no properties"
udevadm info "$dev" | grep -q "ID_CDROM_CD_R=1" || fail "cdrom_id did not see a CD-R drive"
udevadm info "$dev" | grep -q "ID_CDROM_MEDIA_CD_R=1" || fail "cdrom_id did not see the blank CD-R"

say "cdrdao disk-info"
cdrdao disk-info --device "$sg" 2>&1 || fail "cdrdao disk-info"
say "wodim -atip"
wodim -atip dev="$dev" 2>&1 | tee /tmp/atip.log || fail "wodim -atip"
grep -q "ATIP info" /tmp/atip.log || fail "no ATIP"

say "insert and eject reach udev as change events"
udevadm monitor --kernel --udev --property --subsystem-match=block >/tmp/monitor.log 2>&1 &
mon=$!
wait_until 15 grep -q "^KERNEL" /tmp/monitor.log || fail "udevadm monitor did not start"
ctl "$name eject" || fail "eject"
wait_until 15 grep -q "DISK_MEDIA_CHANGE=1" /tmp/monitor.log || fail "no media change event after eject"
: >/tmp/monitor.log
ctl "$name take" "$name insert cdr80" || fail "insert"
wait_until 15 grep -q "DISK_MEDIA_CHANGE=1" /tmp/monitor.log || fail "no media change event after insert"
kill $mon
grep -aE "^(KERNEL|UDEV)|DISK_|ID_CDROM_MEDIA=" /tmp/monitor.log | head -n 20

say "a raw burn: wodim -raw96r"
wav=/usr/local/share/rawburn-vm/album/01.wav
wodim -v -raw96r dev="$dev" -audio "$wav" 2>&1 | tail -n 25
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || fail "wodim -raw96r exited $rc"
ctl "$name state" | grep -E "^(disc|sectors_written|write_type|block_type)="

say "cdrdao read-toc"
rm -f /tmp/read.toc
cdrdao read-toc --device "$sg" /tmp/read.toc 2>&1 | tail -n 8
cat /tmp/read.toc || fail "cdrdao read-toc"

say "cdrdao write --driver generic-mmc-raw"
ctl "$name take" "$name insert cdr80" >/dev/null
cat >/tmp/one.toc <<TOC
CD_DA
TRACK AUDIO
FILE "$wav" 0
TOC
cdrdao write --device "$sg" --driver generic-mmc-raw -n /tmp/one.toc 2>&1 | tail -n 15
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || fail "cdrdao write exited $rc"

say "the button on a locked tray: DISK_EJECT_REQUEST"
# PREVENT ALLOW MEDIUM REMOVAL through the kernel (CDROM_LOCKDOOR), as a burning program
# holds the tray; then the button.
eject -i on "$dev" || fail "eject -i on"
ctl "$name state" | grep -x "locked=yes" || fail "the kernel did not lock the tray"
udevadm monitor --kernel --property --subsystem-match=block >/tmp/monitor.log 2>&1 &
mon=$!
wait_until 15 grep -q "^KERNEL" /tmp/monitor.log || fail "udevadm monitor did not start"
ctl "$name eject" || fail "eject"
wait_until 15 grep -q "DISK_EJECT_REQUEST=1" /tmp/monitor.log || fail "no eject request event"
kill $mon
grep -a "DISK_EJECT_REQUEST" /tmp/monitor.log
eject -i off "$dev" || fail "eject -i off"
ctl "$name state" | grep -x "locked=no" || fail "the tray stayed locked"

say "remove and add are real unplug and plug"
udevadm monitor --kernel --subsystem-match=block --subsystem-match=usb >/tmp/hotplug.log 2>&1 &
mon=$!
wait_until 15 grep -q "^KERNEL" /tmp/hotplug.log || fail "udevadm monitor did not start"
ctl "remove $name" || fail "remove"
wait_until 15 grep -q "remove.*block/$name " /tmp/hotplug.log || fail "no remove uevent for $name"
[ ! -e "$dev" ] || wait_until 10 test ! -e "$dev" || fail "$dev still there"
new=$(ctl "add cdr80,speed=8") || fail "add"
echo "added: $new"
wait_until 15 grep -q "add.*block/$new " /tmp/hotplug.log || fail "no add uevent for $new"
kill $mon
grep -E "block/sr|usb[0-9]/[0-9]-[0-9] " /tmp/hotplug.log
ctl list

say "the timeout fault: no CSW; the kernel resets the device and the drive answers again"
# sr polls the drive with GET EVENT STATUS NOTIFICATION every 2 s; the next one gets no
# CSW, and after its timeout the kernel aborts the command and resets the device.
resets() { journalctl -k --no-pager | grep -cE "reset (high|full)-speed USB device"; }
before=$(resets)
ctl "$new fault timeout op=0x4a count=1" || fail "fault"
wait_until 150 sh -c "[ \$(journalctl -k --no-pager | grep -cE 'reset (high|full)-speed USB device') -gt $before ]" ||
        fail "no reset logged"
journalctl -k --no-pager | grep -iE "reset|abort|timing out" | tail -n 6
wait_until 60 sh -c "wodim -atip dev=/dev/$new >/dev/null 2>&1" || fail "the drive does not answer after the reset"
echo "answers after the reset"

say "device-gone: a real unplug"
ctl "$new fault device-gone op=0x4a" || fail "fault"
wait_until 30 test ! -e "/dev/$new" || fail "/dev/$new still there"
wait_until 10 sh -c "! $lib/drivesim-ctl /run/drivesim/control list | grep -q '^$new '" ||
        fail "$new still listed"
ctl list
echo "unplugged"
echo PASS
