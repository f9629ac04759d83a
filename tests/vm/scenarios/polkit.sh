#!/bin/bash
# polkit for a user outside any session (as from cron or ssh without an
# agent): refused, with no password asked; allowed once the shipped cdrom
# group rule is installed.
. /usr/local/lib/rawburn-vm/lib.sh

drive=$(drive_names | head -n1)
path=$(recorder_path "$drive")
# PrepareMedia as alice, outside any session. The drive is hers until her
# connection leaves the bus, which gdbus's does as it exits: rawburnd then
# lets the drive go by itself.
prepare() {
        outside_session gdbus call --system --dest org.rawburn1 --object-path "$path" \
                --method org.rawburn1.DiscFormat2RawCD.PrepareMedia '@a{sv} {}'
}
busctl get-property org.rawburn1 /org/rawburn1 org.rawburn1.Manager Version >/dev/null ||
        fail "rawburnd does not answer"
check "alice is in the cdrom group" sh -c "id -nG alice | grep -qw cdrom"
check "no rule installed yet" test ! -e /etc/polkit-1/rules.d/50-rawburn-cdrom-group.rules

say "alice outside any session, no agent: PrepareMedia"
if prepare >/tmp/polkit.out 2>&1; then
        cat /tmp/polkit.out
        fail "PrepareMedia was allowed outside a session"
fi
cat /tmp/polkit.out
check "refused by polkit (AccessDenied or InteractiveAuthorizationRequired)" \
        grep -Eq 'AccessDenied|InteractiveAuthorizationRequired|NotAuthorized' /tmp/polkit.out
say "alice outside any session: rawburnctl burn"
outside_session rawburnctl burn --no-ask-password --drive "$drive" "$ALBUM/album.cue" >/tmp/polkit-burn.out 2>&1
rc=$?
cat /tmp/polkit-burn.out
check "rawburnctl exits 5, polkit said no (exit $rc)" test "$rc" = 5
check "the drive is still blank and idle" test "$(drive_state "$drive")" = idle

say "install the shipped example rule for the cdrom group"
install -m 0644 /usr/share/doc/rawburn/examples/50-rawburn-cdrom-group.rules /etc/polkit-1/rules.d/
# polkitd reloads rules.d on change (inotify); its journal says when.
wait_until 30 sh -c "journalctl -b -u polkit --no-pager | grep -q 'Reloading rules'" ||
        echo "(polkitd did not log a reload; trying anyway)"
check "PrepareMedia allowed" wait_until 30 prepare
check "the drive is let go when alice's connection leaves" \
        wait_until 30 sh -c "busctl get-property org.rawburn1 $path org.rawburn1.DiscFormat2RawCD State | grep -qx 's \"idle\"'"
rm -f /etc/polkit-1/rules.d/50-rawburn-cdrom-group.rules
