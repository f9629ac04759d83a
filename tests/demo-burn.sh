#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# rawburn's first run, on a fresh Debian 12 machine, from a clone:
#
#     tests/demo-burn.sh
#
# installs what rawburn needs (tests/install-deps.sh), builds it in build/,
# starts a private system bus and, on it, rawburnd with an emulated CD
# recorder (drivesim: a blank 80-minute CD-R as /dev/sr0, burning in real
# time), makes a short album with sox, burns it with `rawburnctl burn` (a
# progress bar on a terminal), and reads the disc's TOC back with cdrdao.
# Nothing is installed into the system but Debian packages; the bus, the
# daemon and the drive go away at the end. Runs as root (sudo otherwise),
# which rawburnd's polkit check lets through.
set -euo pipefail

if [ "${1:-}" = --inside-drivesim ]; then
        # Second half: under drivesim, which serves /dev/sr0 to this shell and
        # everything it starts (rawburnd, rawburnctl, cdrdao).
        build=$2 work=$3
        ctl=$build/client/rawburnctl
        "$build/daemon/rawburnd" > "$work/rawburnd.log" 2>&1 &
        daemon=$!
        # rawburnd takes its name once it has described the drives.
        if ! gdbus wait --system --timeout 30 org.rawburn1; then
                cat "$work/rawburnd.log" >&2
                exit 1
        fi
        status=0
        {
                echo "== the drive and its disc: rawburnctl info"
                "$ctl" info sr0
                echo
                echo "== burning: rawburnctl burn --speed 24 album.cue"
                "$ctl" burn --speed 24 "$work/album.cue"
                echo
                echo "== reading the disc back: cdrdao read-toc --device /dev/sr0"
                cdrdao read-toc --device /dev/sr0 "$work/readback.toc" > "$work/cdrdao.log" 2>&1 ||
                        { cat "$work/cdrdao.log"; false; }
                grep -E '^(TRACK|CD_DA|CATALOG)|^ *(TITLE|PERFORMER)|^FILE|^START' "$work/readback.toc"
                tracks=$(grep -c '^TRACK AUDIO' "$work/readback.toc")
                [ "$tracks" = 3 ] || { echo "cdrdao found $tracks tracks, not 3" >&2; false; }
                grep -q 'TITLE "rawburn demo"' "$work/readback.toc" ||
                        { echo "cdrdao found no CD-Text title" >&2; false; }
                echo
                echo "The disc reads back as burned: 3 audio tracks and their CD-Text."
        } || status=$?
        kill "$daemon" 2>/dev/null || true
        wait "$daemon" || true
        [ $status = 0 ] || { echo "--- rawburnd's log:"; cat "$work/rawburnd.log"; } >&2
        exit $status
fi

cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
        exec sudo "$0" "$@"
fi

echo "== installing what rawburn needs (tests/install-deps.sh)"
bash tests/install-deps.sh

echo "== building in build/"
[ -f build/build.ninja ] || meson setup build > /dev/null
ninja -C build > /dev/null

work=$(mktemp -d /tmp/rawburn-demo.XXXXXX)
bus_pid=
cleanup() {
        [ -z "$bus_pid" ] || kill "$bus_pid" 2>/dev/null || true
        rm -rf "$work"
}
trap cleanup EXIT

echo "== a private system bus"
sed -e "s|@SOCKET@|$work/system_bus_socket|" \
    -e "s|@POLICY@|$PWD/dbus/org.rawburn1.conf|" tests/daemon/system-bus.conf.in > "$work/bus.conf"
exec 3< <(exec dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=1 \
        2> "$work/bus.log")
bus_pid=$!
read -r address <&3
export DBUS_SYSTEM_BUS_ADDRESS=$address
echo "   $address"

echo "== a short album: three tones (sox) and a cue sheet with CD-Text"
for n in 1 2 3; do
        sox -q -n -r 44100 -c 2 -b 16 "$work/track$n.wav" synth $((4 + 2 * n)) \
                pluck $((220 * n)) fade 0 -0 0.5 vol 0.5
done
cat > "$work/album.cue" <<'CUE'
PERFORMER "rawburn"
TITLE "rawburn demo"
FILE "track1.wav" WAVE
  TRACK 01 AUDIO
    TITLE "First tone"
    INDEX 01 00:00:00
FILE "track2.wav" WAVE
  TRACK 02 AUDIO
    TITLE "Second tone"
    INDEX 01 00:00:00
FILE "track3.wav" WAVE
  TRACK 03 AUDIO
    TITLE "Third tone"
    INDEX 01 00:00:00
CUE

echo "== rawburnd with an emulated CD recorder (drivesim: blank CD-R 80, real time)"
build/tests/drivesim/frontend/drivesim --drive cdr80,realtime -- \
        bash "$PWD/tests/demo-burn.sh" --inside-drivesim "$PWD/build" "$work"
