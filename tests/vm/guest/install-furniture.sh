#!/bin/bash
# Puts the real-stack tier's test furniture into the guest root, beside the
# rawburn that `meson install` put there: nothing here is rawburn's own.
#   install-furniture.sh ROOT BUILDDIR TESTS_VM_DIR
#   - drivesim's USB front end and drivesim-ctl, started by drivesim-usb.service
#     at boot, as the hardware would be there;
#   - alice (uid 1000, in cdrom as Debian's first user is), logged in on tty1
#     by getty's autologin: a real seat0 session, whose login shell serves
#     requests to run commands inside it (session-agent);
#   - the scenarios and their runner (rawburn-vm-scenarios.service);
#   - a short album (three tones, cue sheet with CD-Text) made on the host.
set -euo pipefail
root=$1 build=$2 vm=$3
guest=$vm/guest
lib=$root/usr/local/lib/rawburn-vm

mkdir -p "$lib/scenarios" "$root/usr/local/share/rawburn-vm"
install -m 0755 "$guest/run-scenarios" "$guest/session-agent" "$lib/"
install -m 0644 "$guest/lib.sh" "$lib/"
install -m 0755 "$vm"/scenarios/*.sh "$lib/scenarios/"
for exe in tests/drivesim/usb/drivesim-usb tests/drivesim/frontend/drivesim-ctl; do
        [ -x "$build/$exe" ] && install -m 0755 "$build/$exe" "$lib/"
done

units=$root/etc/systemd/system
install -m 0644 "$guest/rawburn-vm-scenarios.service" "$guest/drivesim-usb.service" "$units/"
mkdir -p "$units/multi-user.target.wants" "$units/getty@tty1.service.d"
ln -sf ../rawburn-vm-scenarios.service "$units/multi-user.target.wants/"
ln -sf ../drivesim-usb.service "$units/multi-user.target.wants/"
install -m 0644 "$guest/autologin.conf" "$units/getty@tty1.service.d/"
# Nothing of a desktop's background work: timers that would run apt or fstrim
# in the middle of a burn on an emulated CPU.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
        systemd-tmpfiles-clean.timer serial-getty@ttyS1.service; do
        ln -sf /dev/null "$units/$unit"
done

# QEMU's CPU offers virtualization extensions, for which udev would load
# kvm.ko: nothing here needs it.
printf 'blacklist kvm_amd\nblacklist kvm_intel\n' >"$root/etc/modprobe.d/rawburn-vm.conf"
echo rawburn-vm >"$root/etc/hostname"
: >"$root/etc/machine-id"
chroot "$root" useradd -m -u 1000 -G cdrom -s /bin/bash alice
chroot "$root" passwd -qd alice >/dev/null
cat >>"$root/home/alice/.profile" <<'PROFILE'

# rawburn-vm: the tty1 login session serves the scenarios' requests.
if [ "$(tty)" = /dev/tty1 ]; then
        exec /usr/local/lib/rawburn-vm/session-agent
fi
PROFILE

# The album: three tones (2, 5 and 4 seconds) with a cue sheet and CD-Text.
album=$root/usr/local/share/rawburn-vm/album
mkdir -p "$album"
sox -n -r 44100 -b 16 -c 2 "$album/01.wav" synth 4 sine 440 gain -6
sox -n -r 44100 -b 16 -c 2 "$album/02.wav" synth 5 sine 660 gain -6
sox -n -r 44100 -b 16 -c 2 "$album/03.wav" synth 4 sine 880 gain -6
cat >"$album/album.cue" <<'CUE'
PERFORMER "rawburn"
TITLE "rawburn real stack"
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    INDEX 01 00:00:00
FILE "02.wav" WAVE
  TRACK 02 AUDIO
    TITLE "Two"
    PREGAP 00:02:00
    INDEX 01 00:00:00
FILE "03.wav" WAVE
  TRACK 03 AUDIO
    TITLE "Three"
    INDEX 01 00:00:00
CUE
chmod -R a+rX "$album"
