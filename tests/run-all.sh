#!/bin/bash
# The whole test suite: installs the dependencies, builds with -Werror and runs
# every test; then builds again with ASan+UBSan and runs the suite once more.
# Then the real-stack tier: rawburn installed into a Debian machine under
# QEMU with Debian's own kernel (tests/vm, docs/testing.md).
#   tests/run-all.sh            everything
#   tests/run-all.sh --quick    the -Werror build only: no sanitizer pass, no fuzzing, no VM
#   tests/run-all.sh --vm       the real-stack tier only
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0 vm=1 host=1
case "${1:-}" in
--quick) quick=1 vm=0 ;;
--vm) host=0 ;;
esac

if [ "$(id -u)" = 0 ]; then
        bash tests/install-deps.sh
else
        sudo bash tests/install-deps.sh
fi

build() {
        local dir=$1; shift
        if [ -d "$dir" ]; then
                meson setup --reconfigure "$dir" "$@" >/dev/null
        else
                meson setup "$dir" "$@" >/dev/null
        fi
        ninja -C "$dir"
}
run_suite() {
        build "$@"
        meson test -C "$1" --print-errorlogs --num-processes 2
}
logs=()

if [ $host = 1 ]; then
        echo "== -Werror build"
        run_suite build-ci -Dwerror=true -Dbuildtype=debugoptimized
        logs+=(build-ci)
fi

if [ $vm = 1 ]; then
        # Installed as the README says (--prefix=/usr), into the machine's root.
        echo "== real stack: Debian's kernel under QEMU, rawburn installed, drivesim on USB"
        build build-vm -Dwerror=true -Dbuildtype=debugoptimized --prefix=/usr -Dvm_tests=true
        meson test -C build-vm --suite vm --print-errorlogs --num-processes 2 || true
        logs+=(build-vm)
fi

if [ $quick = 0 ] && [ $host = 1 ]; then
        echo "== ASan+UBSan build"
        # umockdev's preload library comes before libasan in the unmodified
        # programs drivesim runs; the check would abort them for nothing.
        export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1
        export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        run_suite build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
                -Dbuildtype=debug
        logs+=(build-asan)
fi

if [ $quick = 0 ] && [ $host = 1 ]; then
        echo "== fuzz: libFuzzer targets (cue, TOC, CloneCD readers, image inspector 10 s each; FLAC CUESHEET, .v07t, cdtext.dat 5 s)"
        if [ -d build-fuzz ]; then
                CC=clang meson setup --reconfigure build-fuzz -Dfuzz=true >/dev/null
        else
                CC=clang meson setup build-fuzz -Dfuzz=true >/dev/null
        fi
        ninja -C build-fuzz tests/fuzz/fuzz-cue tests/fuzz/fuzz-toc tests/fuzz/fuzz-ccd \
                tests/fuzz/fuzz-inspect tests/fuzz/fuzz-flac tests/fuzz/fuzz-v07t tests/fuzz/fuzz-cdtext
        bash tests/fuzz/run-fuzz.sh build-fuzz 10
fi

# One closing line for people and CI alike, counted from meson's own logs.
/usr/bin/python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    with open(f"{d}/meson-logs/testlog.json") as f:
        for line in f:
            r = json.loads(line)["result"]
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
