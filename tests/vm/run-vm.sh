#!/bin/bash
# Boots the real-stack test machine once and runs scenarios in it.
#
#   tests/vm/run-vm.sh --build BUILDDIR --out DIR [--scenarios "A B …"] [--script FILE]
#                      [--overlay DIR] [--timeout SECONDS] [--keep-image]
#
# 1. the cached base (build-base.sh): Debian's kernel, a debootstrap'd root;
# 2. a copy of the root with rawburn installed into it from BUILDDIR exactly
#    as the README's "Install for real" says (a --prefix=/usr build, `meson
#    install` with DESTDIR; the sysusers file takes effect at boot), plus the
#    test furniture of tests/vm/guest: drivesim's USB front end started as
#    the hardware would be, a user autologged in on tty1, the scenarios;
# 3. QEMU (KVM when /dev/kvm can run the kernel, otherwise software
#    emulation) boots it; the guest writes each scenario's log and verdict to
#    its second serial port, which lands in DIR/serial.log; DIR/results/
#    gets NAME.log and NAME.result (PASS or FAIL) per scenario.
#
# --script FILE runs FILE as root in the guest instead of scenarios (its log
# under the name "script"), for trying things by hand; --overlay DIR copies
# DIR's tree over the guest's / (data a script needs, such as the burn
# benchmark's album).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build= out= scenarios= script= overlay= timeout=1500 keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --build) build=$(cd "$2" && pwd); shift 2 ;;
        --out) out=$2; shift 2 ;;
        --scenarios) scenarios=$2; shift 2 ;;
        --script) script=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --overlay) overlay=$(cd "$2" && pwd); shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --keep-image) keep=1; shift ;;
        *) echo "run-vm: unknown argument $1" >&2; exit 2 ;;
        esac
done
[ -n "$build" ] && [ -n "$out" ] || { echo "usage: run-vm.sh --build BUILDDIR --out DIR …" >&2; exit 2; }
if [ -z "$scenarios" ] && [ -z "$script" ]; then
        scenarios=$(grep -v '^#' "$here/scenarios/ORDER" | tr '\n' ' ')
fi

log() { echo "run-vm: $*" >&2; }

prefix=$(meson introspect "$build" --buildoptions |
        /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
if [ "$prefix" != /usr ]; then
        log "$build is configured with prefix $prefix; the README installs with --prefix=/usr"
        exit 2
fi

base=$(bash "$here/build-base.sh")
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$out/work
rm -rf "$work" "$out/results" "$out/serial.log" "$out/console.log"
mkdir -p "$work" "$out/results"

log "root: copy of the base"
cp -a "$base/root" "$work/root"
root=$work/root

log "rawburn: meson install --destdir (as the README says, with --prefix=/usr)"
meson install -C "$build" --destdir "$root" --no-rebuild --quiet >"$out/install.log" 2>&1 ||
        { cat "$out/install.log" >&2; exit 1; }

log "test furniture"
bash "$here/guest/install-furniture.sh" "$root" "$build" "$here"
[ -z "$overlay" ] || cp -a "$overlay/." "$root/"
mkdir -p "$root/etc/rawburn-vm"
if [ -n "$script" ]; then
        install -m 0755 "$script" "$root/usr/local/lib/rawburn-vm/scenarios/script.sh"
        echo script >"$root/etc/rawburn-vm/scenarios"
        # The guest stops a scenario after 15 minutes; a script (a long
        # benchmark) has the machine's own time, less a boot's margin.
        echo $((timeout > 1200 ? timeout - 300 : 900)) >"$root/etc/rawburn-vm/scenario-timeout"
else
        echo "$scenarios" >"$root/etc/rawburn-vm/scenarios"
fi

log "ext4 image"
rm -f "$work/root.img"
truncate -s 3G "$work/root.img"
mkfs.ext4 -q -F -L rawburn-vm -d "$root" "$work/root.img"
[ $keep = 1 ] || rm -rf "$root"

# A /dev/kvm may exist and still not run an ordinary kernel (this
# workplace's cannot: QEMU aborts on an MSR it cannot set): use it only when
# the kernel, started with the same CPU, gets as far as printing its banner.
# (Not under timeout(1): it passes QEMU's SIGABRT on in a way that ends this
# script too.)
kvm_runs_the_kernel() {
        local qemu watchdog
        qemu-system-x86_64 -accel kvm -machine q35 -cpu max -m 256 -nodefaults -display none \
                -no-reboot -kernel "$base/vmlinuz" -append "console=ttyS0 panic=-1 init=/nonexistent" \
                -serial "file:$work/kvm-probe.log" >/dev/null 2>&1 &
        qemu=$!
        (sleep 60 && kill -9 $qemu) >/dev/null 2>&1 &
        watchdog=$!
        wait $qemu
        pkill -P $watchdog sleep
        kill $watchdog
        grep -q 'Linux version' "$work/kvm-probe.log"
}
accel=tcg
if [ -w /dev/kvm ] && [ "${RAWBURN_VM_NO_KVM:-0}" != 1 ] && kvm_runs_the_kernel 2>/dev/null; then
        accel=kvm
fi
log "booting ($accel, timeout ${timeout}s)"
start=$(date +%s)
# (The guest loads no kvm.ko: tests/vm/guest blacklists it.)
qemu-system-x86_64 \
        -accel "$accel" -machine q35 -cpu max -smp 2 -m 2048 \
        -kernel "$base/vmlinuz" -initrd "$base/initrd.img" \
        -append "console=ttyS0 root=/dev/vda rw panic=-1 systemd.show_status=0 loglevel=4" \
        -drive "file=$work/root.img,format=raw,if=virtio,cache=unsafe" \
        -nodefaults -nic none -display none -vga std -no-reboot \
        -serial "file:$out/console.log" -serial "file:$out/serial.log" \
        </dev/null >"$out/qemu.log" 2>&1 &
qemu=$!
# The watchdog's own stderr is quiet (its sleep is killed when QEMU ends in
# time); what it has to say goes to ours, fd 3.
exec 3>&2
(sleep "$timeout" && echo "run-vm: the machine ran past ${timeout}s: stopped" >&3 && kill -9 $qemu) 2>/dev/null &
watchdog=$!
set +e
wait $qemu 2>/dev/null
rc=$?
pkill -P $watchdog sleep 2>/dev/null
kill $watchdog 2>/dev/null
set -e
log "qemu exited with $rc after $(($(date +%s) - start)) s"
[ $keep = 1 ] || rm -f "$work/root.img"

# Split the serial log into one log and verdict per scenario.
/usr/bin/python3 "$here/split-results.py" "$out/serial.log" "$out/results"
if [ ! -f "$out/results/.done" ]; then
        log "the guest did not finish (see $out/console.log)"
        tail -n 40 "$out/console.log" >&2 || true
        exit 1
fi
