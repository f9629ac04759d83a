#!/bin/bash
# The whole test suite: installs the dependencies, builds with -Werror and runs
# every test; then builds again with ASan+UBSan and runs the suite once more.
#   tests/run-all.sh            everything
#   tests/run-all.sh --quick    the -Werror build only, no sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

if [ "$(id -u)" = 0 ]; then
        bash tests/install-deps.sh
else
        sudo bash tests/install-deps.sh
fi

run_suite() {
        local dir=$1; shift
        if [ -d "$dir" ]; then
                meson setup --reconfigure "$dir" "$@" >/dev/null
        else
                meson setup "$dir" "$@" >/dev/null
        fi
        ninja -C "$dir"
        meson test -C "$dir" --print-errorlogs --num-processes 2
}

echo "== -Werror build"
run_suite build-ci -Dwerror=true -Dbuildtype=debugoptimized

if [ $quick = 0 ]; then
        echo "== ASan+UBSan build"
        # umockdev's preload library comes before libasan in the unmodified
        # programs drivesim runs; the check would abort them for nothing.
        export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1
        export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        run_suite build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
                -Dbuildtype=debug
fi

if [ $quick = 0 ]; then
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
/usr/bin/python3 - build-ci $([ $quick = 0 ] && echo build-asan) <<'PY'
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
