# rawburn-vm: what the scenarios share. Sourced by each scenarios/*.sh, which
# runs as root in the guest; a failed check ends the scenario with FAIL.
set -uo pipefail
VM_LIB=/usr/local/lib/rawburn-vm
ALBUM=/usr/local/share/rawburn-vm/album
SESSION_USER=alice
DRIVESIM_CONTROL=/run/drivesim/control

say() { echo "== $*"; }
fail() {
        echo "FAIL: $*"
        exit 1
}
check() { # check DESCRIPTION COMMAND…: COMMAND must succeed
        local what=$1
        shift
        if "$@"; then
                echo "ok: $what"
        else
                fail "$what (command: $*)"
        fi
}
# Waits up to SECONDS for COMMAND to succeed (state that arrives by an event
# we cannot subscribe to from a shell, such as a file appearing).
wait_until() {
        local seconds=$1 i
        shift
        for ((i = 0; i < seconds * 5; i++)); do
                "$@" && return 0
                sleep 0.2
        done
        return 1
}

drivesim_ctl() { "$VM_LIB/drivesim-ctl" "$DRIVESIM_CONTROL" "$@"; }

# The session's runtime directory; the agent writes "ready" there once it runs.
session_dir() { echo "/run/user/$(id -u $SESSION_USER)/rawburn-vm"; }
wait_for_session() {
        wait_until 180 test -p "$(session_dir)/requests" ||
                fail "alice's tty1 session did not start (no session agent)"
}

# Runs a shell line as alice inside her tty1 login session (an active local
# seat0 session); prints its output, returns its status.
in_session() {
        local req rc
        wait_for_session
        req=$(mktemp -d "$(session_dir)/req.XXXXXX")
        printf '%s\n' "$*" >"$req/cmd"
        mkfifo "$req/reply"
        chown -R "$SESSION_USER:" "$req"
        echo "$req" >"$(session_dir)/requests"
        read -r _ <"$req/reply"
        cat "$req/out"
        rc=$(cat "$req/rc")
        rm -rf "$req"
        return "$rc"
}

# Runs a command as alice outside any session: from this system service,
# with her uid and groups but no logind session (as cron or a daemon would).
outside_session() {
        setpriv --reuid="$SESSION_USER" --regid="$SESSION_USER" --init-groups \
                --reset-env env HOME="/home/$SESSION_USER" "$@"
}

# The drives' kernel names as drivesim's USB front end reports them.
drive_names() { drivesim_ctl list | awk '{print $1}'; }

rawburnd_pid() { systemctl show -P MainPID rawburnd.service; }

# The object path of drive NAME (sr0 → /org/rawburn1/recorder/sr0).
recorder_path() { echo "/org/rawburn1/recorder/$1"; }

# A property of drive NAME's interface IFACE as busctl prints it ("b true").
drive_property() {
        busctl get-property org.rawburn1 "$(recorder_path "$1")" "org.rawburn1.$2" "$3"
}

# DiscFormat2RawCD.State of drive NAME: idle, preparing, prepared, writing, releasing.
drive_state() {
        busctl get-property org.rawburn1 "$(recorder_path "$1")" org.rawburn1.DiscFormat2RawCD State 2>/dev/null |
                sed 's/^s "\(.*\)"$/\1/'
}
wait_writing() { wait_until "${2:-120}" sh -c "[ \"\$(busctl get-property org.rawburn1 $(recorder_path "$1") org.rawburn1.DiscFormat2RawCD State 2>/dev/null)\" = 's \"writing\"' ]"; }

# Plugs in a drive with SPEC and prints its kernel name once rawburnd has it.
plug_drive() {
        local before new
        before=$(drive_names | sort)
        drivesim_ctl "add $1" >/dev/null || fail "drivesim-usb could not add $1"
        wait_until 60 sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL list | awk '{print \$1}' | sort | grep -vxF \"$before\" | grep -q ." ||
                fail "the kernel made no node for the new drive"
        new=$(drive_names | sort | grep -vxF "$before" | head -n1)
        wait_until 60 busctl introspect org.rawburn1 "$(recorder_path "$new")" org.rawburn1.DiscRecorder2 >/dev/null 2>&1 ||
                fail "rawburnd did not show $new"
        echo "$new"
}

# A fresh blank disc in drive NAME, changed as a person does it: the button,
# then the disc. A drive holding a disc is locked by udev (cdrom_id
# --lock-media at every change event), so the button is an eject request
# that udev answers by unlocking and opening the tray. rawburnd, when it
# runs, has seen the new disc when this returns.
drive_tray() { drivesim_ctl "$1 state" | sed -n 's/^tray=//p'; }
fresh_disc() {
        udevadm settle --timeout=60
        if [ "$(drive_tray "$1")" != open ]; then
                drivesim_ctl "$1 eject" >/dev/null || fail "$1: the button failed"
                wait_until 60 sh -c "$VM_LIB/drivesim-ctl $DRIVESIM_CONTROL '$1 state' | grep -qx tray=open" ||
                        fail "$1: the tray did not open (udev did not answer the eject request)"
        fi
        drivesim_ctl "$1 take" >/dev/null || fail "$1: cannot take the disc out"
        # rawburnd sees the drive empty before the new disc goes in: the wait
        # for a blank disc below could otherwise pass on the old disc's state,
        # before the kernel (which polls every 2 s) has seen any change, and
        # what comes next would meet udev reading the new disc.
        if systemctl is-active -q rawburnd.service; then
                wait_until 60 sh -c "busctl get-property org.rawburn1 $(recorder_path "$1") org.rawburn1.DiscRecorder2 MediaPresent | grep -qx 'b false'" ||
                        fail "$1: rawburnd did not see the disc go"
        fi
        drivesim_ctl "$1 insert ${2:-cdr80}" >/dev/null || fail "$1: cannot insert a disc"
        udevadm settle --timeout=60
        if systemctl is-active -q rawburnd.service; then
                wait_until 60 sh -c "busctl get-property org.rawburn1 $(recorder_path "$1") org.rawburn1.DiscFormat2RawCD MediaPhysicallyBlank | grep -qx 'b true'" ||
                        fail "$1: rawburnd did not see the blank disc"
        fi
}
