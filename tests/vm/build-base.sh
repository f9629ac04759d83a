#!/bin/bash
# The real-stack tier's base machine, built from Debian's archive alone:
#   - Debian 12's own kernel (linux-image-amd64's current image package),
#     downloaded with apt-get and unpacked, never installed on the host;
#   - a Debian 12 root made by debootstrap (tests/vm/packages.txt) with that
#     kernel's modules in it;
#   - a small initramfs (busybox) that loads virtio and ext4 and hands over
#     to systemd on the root disk.
# Cached under CACHE_DIR (default /var/cache/rawburn-vm) keyed by the package
# list, the kernel package and this script, so a second run costs nothing.
#
#   tests/vm/build-base.sh [CACHE_DIR]    prints the base's directory
#
# Needs root (debootstrap, chroot for depmod), debootstrap, busybox-static,
# cpio and Debian's archive (tests/vm/install-deps.sh installs them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-/var/cache/rawburn-vm}
mirror=${RAWBURN_VM_MIRROR:-http://deb.debian.org/debian}

log() { echo "build-base: $*" >&2; }

# The image package the metapackage points to today, e.g. linux-image-6.1.0-57-amd64.
kernel_package() {
        apt-cache depends linux-image-amd64 2>/dev/null |
                sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1
}
kernel_pkg=$(kernel_package)
if [ -z "$kernel_pkg" ]; then
        log "linux-image-amd64 is not in apt's lists: apt-get update"
        apt-get update -q >&2
        kernel_pkg=$(kernel_package)
        [ -n "$kernel_pkg" ] || { log "no linux-image-amd64 in Debian's archive"; exit 1; }
fi
kernel_version=$(apt-cache policy "$kernel_pkg" | sed -n 's/^ *Candidate: //p')

packages=$(grep -v '^#' "$here/packages.txt" | tr -s ' \n' ',,' | sed 's/^,//;s/,$//')
key=$( (echo "$kernel_pkg $kernel_version"; cat "$here/packages.txt" "$0" "$here/initramfs-init") |
        sha256sum | cut -c1-16)
base=$cache/base-$key
if [ -f "$base/done" ]; then
        log "cached: $base"
        echo "$base"
        exit 0
fi

log "building $base ($kernel_pkg $kernel_version)"
mkdir -p "$cache"
rm -rf "$base.tmp"
mkdir -p "$base.tmp"
cd "$base.tmp"

# The kernel and its modules: unpacked into the root, as its package would put them.
(cd "$base.tmp" && apt-get download -q "$kernel_pkg=$kernel_version" >/dev/null 2>&1) ||
        (cd "$base.tmp" && apt-get download "$kernel_pkg")
kdeb=$(ls "$base.tmp"/linux-image-*.deb)
kver=${kernel_pkg#linux-image-}

log "debootstrap (minbase + $(echo "$packages" | tr ',' ' ' | wc -w) packages)"
debootstrap --variant=minbase --include="$packages" bookworm root "$mirror" >debootstrap.log 2>&1 ||
        { tail -n 20 debootstrap.log >&2; exit 1; }
# Unpacked beside the root, then moved in: the package says lib/modules and
# the merged-/usr root has lib as a link that tar would replace.
dpkg-deb -x "$kdeb" kernel
mkdir -p root/usr/lib/modules root/boot
mv kernel/lib/modules/* root/usr/lib/modules/
mv kernel/boot/* root/boot/
rm -rf kernel
chroot root /sbin/depmod -a "$kver"
cp "root/boot/vmlinuz-$kver" vmlinuz
rm -f "$kdeb"
rm -rf root/var/cache/apt/archives/*.deb root/var/lib/apt/lists/*

# The initramfs: busybox, the modules that reach the root disk, and init.
log "initramfs"
mods=root/usr/lib/modules/$kver
mkdir -p initramfs/bin initramfs/lib/modules initramfs/dev initramfs/proc initramfs/sys initramfs/newroot
cp /bin/busybox initramfs/bin/busybox
# Each wanted module after the modules it depends on (modules.dep lists them).
wanted="virtio_pci virtio_blk crc32c_generic ext4"
: >initramfs/lib/modules/load-order
add_module() {
        local name=$1 path deps dep
        path=$(awk -F: -v n="/$name.ko" 'substr($1, length($1) - length(n) + 1) == n {print $1; exit}' \
                "$mods/modules.dep")
        [ -n "$path" ] || { log "module $name not found"; exit 1; }
        grep -qx "$(basename "$path")" initramfs/lib/modules/load-order && return 0
        deps=$(awk -F: -v p="$path" '$1 == p {print $2}' "$mods/modules.dep")
        for dep in $deps; do
                add_module "$(basename "$dep" .ko)"
        done
        cp "$mods/$path" initramfs/lib/modules/
        basename "$path" >>initramfs/lib/modules/load-order
}
for m in $wanted; do add_module "$m"; done
install -m 0755 "$here/initramfs-init" initramfs/init
(cd initramfs && find . | cpio -o -H newc --quiet | gzip -1) >initrd.img
rm -rf initramfs

echo "$kernel_pkg $kernel_version" >kernel-package
cd /
rm -rf "$base"
mv "$base.tmp" "$base"
touch "$base/done"
# Older bases are left for a package list that comes back; keep the newest three.
ls -dt "$cache"/base-* 2>/dev/null | grep -v '\.tmp$' | tail -n +4 | xargs -r rm -rf
log "done: $base"
echo "$base"
