#!/usr/bin/env bash
# Fetch the static busybox of the -shell image variant: Debian 12's busybox-static at a pinned
# version, its .deb checked against a pinned SHA-256, for each platform asked for.
#
#   build/busybox.sh OUTDIR [linux/amd64 linux/arm64 ...]     (default: both)
#
# Writes OUTDIR/busybox-linux-ARCH. Needs apt-get and dpkg-deb (Debian 12, or its container
# image) and root. Each architecture's package list is fetched into a private folder, so the
# machine's apt configuration is neither needed for foreign architectures nor changed.
# BUSYBOX_CACHE, when set, keeps the checked binaries between runs.
#
# When Debian replaces the package (a security update), the pinned version is no longer
# downloadable: set VERSION to the new one and SHA256_* to what this script then prints.
set -euo pipefail

VERSION='1:1.35.0-4+deb12u1+b1'
SHA256_amd64=3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744
SHA256_arm64=732c9135564fc71337e0e05fb4da4d11e6c28c1834bce3e405e575afef2a52f5

[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [linux/amd64 linux/arm64 ...]" >&2; exit 2; }
out=$1
shift
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64)
mkdir -p "$out"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=${BUSYBOX_CACHE:-$work/cache}
mkdir -p "$cache"

for platform in "${platforms[@]}"; do
  arch=${platform#linux/}
  if [ "$arch" = "$platform" ]; then
    echo "busybox.sh: platform $platform: only linux/ARCH platforms have a busybox" >&2
    exit 2
  fi
  want_var=SHA256_$arch
  want=${!want_var:-}
  if [ -z "$want" ]; then
    echo "busybox.sh: no pinned checksum for $arch: add SHA256_$arch" >&2
    exit 2
  fi
  deb=$cache/busybox-static_${VERSION#*:}_$arch.deb
  if [ ! -f "$deb" ] || [ "$(sha256sum < "$deb" | cut -d' ' -f1)" != "$want" ]; then
    dir=$work/apt-$arch
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
    apt=(apt-get -q -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
      -o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o Debug::NoLocking=1)
    [ "$(id -u)" != 0 ] || apt+=(-o APT::Sandbox::User=root)
    echo "busybox.sh: apt-get download busybox-static=$VERSION ($arch)"
    "${apt[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
    (cd "$dir" && "${apt[@]}" download "busybox-static=$VERSION") >"$work/apt.log" 2>&1 || {
      cat "$work/apt.log" >&2
      echo "busybox.sh: busybox-static $VERSION ($arch) cannot be downloaded; if Debian has replaced it, see the top of $0" >&2
      exit 1
    }
    got=$(sha256sum "$dir"/busybox-static_*.deb | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      echo "busybox.sh: busybox-static $VERSION ($arch): SHA-256 $got, want $want" >&2
      exit 1
    fi
    mv "$dir"/busybox-static_*.deb "$deb"
  fi
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./bin/busybox > "$out/busybox-linux-$arch"
  chmod 0755 "$out/busybox-linux-$arch"
  echo "busybox.sh: $out/busybox-linux-$arch (busybox-static $VERSION, .deb sha256 $want)"
done
