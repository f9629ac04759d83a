#!/bin/bash
# SIGKILL of rawburnd in the middle of a burn: the unit's stop step
# (ExecStopPost=rawburnd --unlock-trays) unlocks the tray, the next D-Bus call
# starts rawburnd again, and the drive burns.
. /usr/local/lib/rawburn-vm/lib.sh

drive=$(drive_names | head -n1)
fresh_disc "$drive" # whatever the scenarios before left in it
busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null ||
        fail "rawburnd does not answer"
old=$(rawburnd_pid)
rawburnctl burn --drive "$drive" "$ALBUM/album.cue" >/tmp/killed-burn.log 2>&1 &
burn=$!
wait_writing "$drive" || { cat /tmp/killed-burn.log; fail "the burn did not start writing"; }
check "the tray is locked" sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$drive state' | grep -qx 'locked=yes'"

say "systemctl kill -s KILL rawburnd"
systemctl kill -s KILL rawburnd.service
wait $burn
rc=$?
cat /tmp/killed-burn.log
check "rawburnctl says the service went away (exit 7: $rc)" test "$rc" = 7
check "the unit stopped, and nothing started it again" \
        wait_until 60 sh -c "systemctl show -P ActiveState rawburnd.service | grep -qx failed"
journalctl -b -u rawburnd --no-pager | tail -n 8
check "the stop step (rawburnd --unlock-trays) unlocked it" \
        sh -c "journalctl -b -u rawburnd --no-pager | grep -q 'Unlocked the tray of /dev/$drive'"
check "the tray is unlocked" wait_until 30 sh -c \
        "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$drive state' | grep -qx 'locked=no'"
check "the kernel's eject works" eject "/dev/$drive"
fresh_disc "$drive"

say "the next call starts rawburnd again"
check "Version answers" busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version
new=$(rawburnd_pid)
check "a new process ($old → $new)" test "$new" != "$old" -a "$new" -gt 0
check "the drive burns" rawburnctl burn --drive "$drive" "$ALBUM/album.cue"
fresh_disc "$drive"
