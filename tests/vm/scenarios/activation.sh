#!/bin/bash
# The first D-Bus call starts rawburnd (D-Bus activation through systemd);
# it runs as the rawburn user made by the sysusers file at boot, with no
# capabilities, in the hardened unit; the drive plugged in at boot is there.
. /usr/local/lib/rawburn-vm/lib.sh

say "before any call"
check "the rawburn user exists (sysusers at boot)" id rawburn
state=$(systemctl is-active rawburnd.service)
echo "rawburnd.service: $state"
[ "$state" != active ] || fail "rawburnd was running before anything asked for it"

say "first call: busctl get-property Manager Version"
check "org.rawburn1 answers" busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version
check "rawburnd.service is active now" systemctl is-active -q rawburnd.service
pid=$(rawburnd_pid)
[ "$pid" -gt 0 ] || fail "no main PID"

say "the process"
grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' "/proc/$pid/status"
user=$(ps -o user= -p "$pid")
check "runs as rawburn (is: $user)" test "$user" = rawburn
for cap in CapEff CapPrm CapBnd CapAmb; do
        value=$(awk -v k="$cap:" '$1 == k {print $2}' "/proc/$pid/status")
        check "$cap is empty ($value)" test "$value" = 0000000000000000
done
check "NoNewPrivs" grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status"
cdrom=$(getent group cdrom | cut -d: -f3)
check "in the cdrom group" grep -Eq "^Groups:.*\\b$cdrom\\b" "/proc/$pid/status"

say "the drive plugged in at boot"
drive=$(drive_names | head -n1)
[ -n "$drive" ] || fail "drivesim-usb has no drive"
echo "drive: $drive"
check "/dev/$drive is the kernel's sr node, group cdrom" test "$(stat -c %G "/dev/$drive")" = cdrom
check "udev says ID_CDROM=1" sh -c "udevadm info -q property /dev/$drive | grep -qx ID_CDROM=1"
uevent=/sys/class/block/$drive/uevent
check "udev made its uevent file the rawburn group's (70-rawburn.rules): $(stat -L -c '%G %a' "$uevent")" \
        test "$(stat -L -c '%G %a' "$uevent")" = "rawburn 664"
check "rawburnd serves $(recorder_path "$drive")" \
        sh -c "busctl introspect org.rawburn1 $(recorder_path "$drive") org.rawburn1.DiscRecorder2 >/dev/null"

say "systemd-analyze security rawburnd.service (the live unit)"
systemd-analyze security --no-pager rawburnd.service >/tmp/security.txt 2>&1
grep -E '✗|Overall' /tmp/security.txt | head -n 40
exposure=$(sed -n 's/.*Overall exposure level for rawburnd.service: \([0-9.]*\).*/\1/p' /tmp/security.txt)
echo "exposure: $exposure"
check "exposure $exposure is at most 2.0" awk -v e="$exposure" 'BEGIN {exit !(e != "" && e <= 2.0)}'

say "systemctl reload rawburnd: the quirks files read again, the same process"
path=$(recorder_path "$drive")
prop() {
        busctl get-property org.rawburn1 "$path" org.rawburn1.DiscRecorder2 "$1" |
                sed -e 's/^[a-z] //' -e 's/^"\(.*\)"$/\1/'
}
vendor=$(prop VendorId)
product=$(prop ProductId)
local_quirks=/etc/rawburn/quirks.conf
saved=$(mktemp)
had_file=no
[ -e "$local_quirks" ] && had_file=yes && cp "$local_quirks" "$saved"
check "drives set-offset \"$vendor\" \"$product\" 42" rawburnctl drives set-offset "$vendor" "$product" 42
check "systemctl reload rawburnd.service" systemctl reload rawburnd.service
check "the same rawburnd serves on (pid $pid)" test "$(rawburnd_pid)" = "$pid"
for _ in $(seq 50); do [ "$(prop WriteOffset)" = 42 ] && break; sleep 0.1; done
check "WriteOffset is 42 ($(prop WriteOffset))" test "$(prop WriteOffset)" = 42
check "WriteOffsetSource is local ($(prop WriteOffsetSource))" test "$(prop WriteOffsetSource)" = local
# The scenarios after this one burn with the drive's offset: put the file back.
if [ $had_file = yes ]; then cp "$saved" "$local_quirks"; else rm -f "$local_quirks"; fi
rm -f "$saved"
check "systemctl reload rawburnd.service (the file as it was)" systemctl reload rawburnd.service
for _ in $(seq 50); do [ "$(prop WriteOffset)" != 42 ] && break; sleep 0.1; done
check "WriteOffset back to $(prop WriteOffset)" test "$(prop WriteOffset)" != 42
