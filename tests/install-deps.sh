#!/bin/bash
# Installs everything rawburn needs to build and test, from Debian 12's archive.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail

packages=(
        # build
        gcc meson ninja-build pkg-config clang-format
        libsystemd-dev libudev-dev libuv1-dev libsndfile1-dev libglib2.0-dev
        # Opus, which decodes only at 48 kHz, resampled to 44.1 kHz (lib/audio-resample.c)
        libsoxr-dev
        # cue sheet character sets that are not UTF-8 (lib/text-charset.c), and
        # CD-Text transliteration of what Latin-1 cannot hold (lib/text-translit.c)
        libuchardet-dev libicu-dev
        # tests
        libcmocka-dev umockdev libumockdev-dev
        cdrdao wodim cdrskin libcdio-utils cdparanoia
        dbus dbus-daemon systemd libglib2.0-bin polkitd python3-dbusmock python3-gi
        # rawburnd bus tests: dbus-monitor, python3-dbus (dbus-python), mount/unshare/setpriv
        dbus-bin python3-dbus mount
        sox flac util-linux genisoimage python3
        # lossy sources made and decoded independently (tests/image/lossy-audio.sh)
        lame vorbis-tools opus-tools
        # rawburnctl tests: the progress bar on a terminal
        tmux
        # tests/bench/burn-bench.py: the load the burns run under
        stress-ng
        # the real-stack tier (tests/vm): the machine, its root and initramfs
        qemu-system-x86 debootstrap busybox-static cpio e2fsprogs gzip
        # sanitizer and fuzz builds
        clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
        echo "install-deps: all ${#packages[@]} packages present"
        exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
