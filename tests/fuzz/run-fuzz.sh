#!/bin/bash
# A short libFuzzer run of every target: run-fuzz.sh BUILDDIR SECONDS-PER-TARGET
# Seeds: tests/fuzz/corpus-{cue,toc,ccd,flac,v07t,cdtext}/ for the readers; the inspector
# starts empty.
# A crash leaves its input as BUILDDIR/fuzz-artifacts/crash-* and fails the run.
set -euo pipefail
build=$1
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
art="$build/fuzz-artifacts"
targets="cue toc ccd inspect flac v07t cdtext"
rm -rf "$art"
mkdir -p "$art"
for t in $targets; do
        mkdir -p "$build/fuzz-corpus-$t"
        if [ -d "$here/corpus-$t" ]; then
                cp "$here/corpus-$t"/* "$build/fuzz-corpus-$t/"
        fi
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
for t in $targets; do
        # The FLAC CUESHEET, .v07t and binary CD-Text readers are small: half
        # the time keeps the whole run near a minute.
        t_seconds=$seconds
        case $t in flac | v07t | cdtext) t_seconds=$(((seconds + 1) / 2)) ;; esac
        # Built here too, for callers that list the older targets only.
        [ -x "$build/tests/fuzz/fuzz-$t" ] || ninja -C "$build" "tests/fuzz/fuzz-$t" >/dev/null
        echo "== fuzz-$t for ${t_seconds}s"
        "$build/tests/fuzz/fuzz-$t" -max_total_time="$t_seconds" -timeout=10 -max_len=65536 \
                -artifact_prefix="$art/" -print_final_stats=1 "$build/fuzz-corpus-$t" 2>&1 |
                grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true
        if ls "$art"/crash-* "$art"/leak-* "$art"/timeout-* >/dev/null 2>&1; then
                echo "fuzz-$t found a failing input in $art" >&2
                exit 1
        fi
done
