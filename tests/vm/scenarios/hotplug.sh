#!/bin/bash
# A drive plugged in after rawburnd started appears on the bus, and vanishes
# when unplugged (real USB plug and unplug through dummy_hcd, real uevents
# through udevd into the service's monitor). Unplugged in the middle of a
# burn: DeviceNotExist, rawburnd answers, and the next burn works.
. /usr/local/lib/rawburn-vm/lib.sh

busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null ||
        fail "rawburnd does not answer"
pid=$(rawburnd_pid)

say "plug in a second drive"
new=$(plug_drive cdr80,speed=8,realtime) && [ -n "$new" ] || fail "no new drive"
echo "plugged in: $new"
check "rawburnd was not restarted" test "$(rawburnd_pid)" = "$pid"
rawburnctl list

say "unplug it"
drivesim_ctl "remove $new" || fail "remove failed"
check "its object is gone" wait_until 60 sh -c "! busctl introspect org.rawburn1 $(recorder_path "$new") >/dev/null 2>&1"
rawburnctl list

say "unplugged in the middle of a burn"
new=$(plug_drive cdr80,speed=4,realtime) && [ -n "$new" ] || fail "no new drive"
rawburnctl burn --verbose --drive "$new" "$ALBUM/album.cue" >/tmp/unplug-burn.log 2>&1 &
burn=$!
wait_writing "$new" ||
        { cat /tmp/unplug-burn.log; fail "the burn did not start writing"; }
# Unplugged once the drive has its first WRITEs. The kernel's EIO reaches
# rawburnd a moment before udev's remove event; rawburnd tells an unplug from
# a failing drive by the drive's sysfs directory, already gone then.
wait_until 60 sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$new state' | grep -qx writing=yes" ||
        { cat /tmp/unplug-burn.log; fail "the drive received no WRITE"; }
drivesim_ctl "remove $new"
wait $burn
rc=$?
cat /tmp/unplug-burn.log
check "rawburnctl exits 3, the drive went away (exit $rc)" test "$rc" = 3
check "the daemon's error is DeviceNotExist" grep -q 'DeviceNotExist' /tmp/unplug-burn.log
check "rawburnd still answers" busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version
check "rawburnd was not restarted" test "$(rawburnd_pid)" = "$pid"

say "the next burn works"
drive=$(drive_names | head -n1)
fresh_disc "$drive"
check "burn on $drive" rawburnctl burn --drive "$drive" "$ALBUM/album.cue"
fresh_disc "$drive"
