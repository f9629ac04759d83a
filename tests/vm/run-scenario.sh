#!/bin/bash
# The meson test vm-NAME: NAME's verdict from the real-stack machine.
#   run-scenario.sh NAME BUILDDIR
# The machine boots once per `meson test` run: the first vm test to come
# takes the lock and runs every scenario (run-vm.sh); the others wait for it
# and read their own verdict. A run is told apart by the meson process that
# started the tests (its PID and start time), or by RAWBURN_VM_RUN_ID.
set -uo pipefail
name=$1
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/vm-run

run_id=${RAWBURN_VM_RUN_ID:-$PPID-$(cut -d' ' -f22 "/proc/$PPID/stat" 2>/dev/null)}
mkdir -p "$out"
exec 9>"$out.lock"
flock 9
if [ "$(cat "$out/run-id" 2>/dev/null)" != "$run_id" ]; then
        rm -f "$out/run-id"
        bash "$here/run-vm.sh" --build "$build" --out "$out" >"$out.log" 2>&1
        echo "$run_id" >"$out/run-id"
fi
flock -u 9

if [ ! -f "$out/results/$name.result" ]; then
        echo "vm-$name: no verdict: the machine did not run it"
        cat "$out.log"
        tail -n 60 "$out/console.log" 2>/dev/null
        exit 1
fi
cat "$out/results/$name.log"
verdict=$(cat "$out/results/$name.result")
echo "vm-$name: $verdict"
[ "$verdict" = PASS ]
