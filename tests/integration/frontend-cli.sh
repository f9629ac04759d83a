#!/bin/bash
# drivesim's command line: help, usage errors, exit status, signals, readiness,
# tracing; and that every fault --help names is one the drive model takes.
source "$(dirname "$0")/lib.sh"

run help 0 "$DRIVESIM" --help
expect help '^Usage: drivesim' "usage line"
for word in --drive --state-dir --control --ready-fd --trace speed= read-speed= buffer= realtime \
        kept vendor= product= revision= tray= fault= modes= raw96r raw96p raw16 notest-raw cdr80 cdrw74 none 'cdrom:FILE' insert eject \
        take open-tray close-tray clear-faults state export corrupt format= sense:KK/AA/QQ \
        toc-mismatch add remove list; do
        grep -qF -- "$word" "$TMP/help.out" || fail "--help does not mention $word"
done

# Each fault in --help is accepted by the model's control command, and vice versa
# an unknown one is refused.
faults=$(sed -n '/^Faults/,/^  op=/p' "$TMP/help.out" | awk '/^  [a-z]/ {print $1}' | grep -v '^op=')
[ "$(echo "$faults" | wc -l)" -ge 10 ] || fail "too few faults in --help: $faults"
cmds=()
# sense:KK/AA/QQ is armed with a real sense.
for f in $faults; do cmds+=("sr0 fault ${f/KK\/AA\/QQ/05\/30\/02} count=1"); done
run faults 0 "$DRIVESIM" --control "$CONTROL" -- "$DRIVESIM_CTL" "$CONTROL" "${cmds[@]}"
[ "$(grep -c '^armed' "$TMP/faults.out")" -eq "$(echo "$faults" | wc -l)" ] || fail "not all faults armed"
run bad-fault 1 "$DRIVESIM" --control "$CONTROL" -- "$DRIVESIM_CTL" "$CONTROL" "sr0 fault no-such-fault"
expect bad-fault "ERR unknown fault 'no-such-fault'" "refusal"

# Usage errors: exit 2 before anything runs.
run no-command 2 "$DRIVESIM" --drive cdr80
expect no-command 'missing COMMAND' "message"
run bad-spec 2 "$DRIVESIM" --drive cdr81 -- touch "$TMP/ran"
expect bad-spec "unknown media 'cdr81'" "message"
run bad-option 2 "$DRIVESIM" --frobnicate -- touch "$TMP/ran"
run bad-spec-option 2 "$DRIVESIM" --drive cdr80,speed=0 -- touch "$TMP/ran"
[ ! -e "$TMP/ran" ] || fail "COMMAND ran despite a usage error"
run no-program 127 "$DRIVESIM" -- "$TMP/no-such-program"

# COMMAND's exit status, and 128+N for a signal.
run status 7 "$DRIVESIM" -- sh -c 'exit 7'
run signalled 143 "$DRIVESIM" -- sh -c 'kill -TERM $$'

# --ready-fd, then SIGTERM reaches COMMAND.
mkfifo "$TMP/ready"
"$DRIVESIM" --ready-fd 3 -- sleep 60 3>"$TMP/ready" &
pid=$!
read -r line <"$TMP/ready"
[ "$line" = "READY=1" ] || fail "ready line: $line"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" -eq 143 ] || fail "after SIGTERM drivesim exited $status, expected 143"

# The trace names every command with its outcome.
run trace any env DRIVESIM_TRACE=1 "$DRIVESIM" -- cdrdao disk-info --device /dev/sr0
expect trace '^drivesim sr0: 12 00 00 00 2C 00 in=44 -> GOOD$' "INQUIRY in the trace"

# The drive's devices exist under COMMAND only.
run nodes 0 "$DRIVESIM" --drive cdr80 --drive none -- sh -c 'test -b /dev/sr0 && test -b /dev/sr1 && test -c /dev/sg1 && ! test -e /dev/sr2'
