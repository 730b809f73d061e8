#!/usr/bin/env bash
# The CI stages of the build module, run by .ci/run:
#
#   build/ci.sh image     vet and test build/, fetch the pinned busybox, build the images of
#                         HEAD twice (the second time with an empty Go build cache), check that
#                         both layouts are byte for byte the same, then verify the first one
#   build/ci.sh release   build the release archives of HEAD twice (a snapshot when HEAD has no
#                         release tag), check that both are the same and SHA256SUMS holds
#
# Outputs go to dist/ (image/, release/). Environment: WURZEL_TOOLS (a cache kept between
# runs, default $HOME/.cache/wurzel-tools: the busybox .deb files are kept there).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
dist=$root/dist
tools=${WURZEL_TOOLS:-$HOME/.cache/wurzel-tools}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# Every build of one run uses the commit HEAD names now.
rev=$(git -C "$root" rev-parse --verify HEAD)
t0=$SECONDS
say() { printf '[build/ci.sh %3ds] %s\n' $((SECONDS - t0)) "$*"; }

# same A B: fail unless the folders A and B hold the same files with the same bytes.
same() {
  if ! diff -r "$1" "$2" >/dev/null; then
    echo "not reproducible: $1 and $2 differ:" >&2
    diff -r "$1" "$2" | head -20 >&2 || true
    return 1
  fi
}

image() {
  say "go vet, go test (build module)"
  go vet ./...
  go test -count=1 ./...
  go build -o "$work/wurzel-image" ./cmd/wurzel-image

  say "busybox for the -shell variant"
  BUSYBOX_CACHE=$tools/busybox ./busybox.sh "$work/busybox" linux/amd64 linux/arm64
  local shell_name busybox=()
  shell_name="busybox-static $(sed -n "s/^VERSION='\(.*\)'$/\1/p" busybox.sh) (Debian 12)"
  for arch in amd64 arm64; do busybox+=(-busybox "linux/$arch=$work/busybox/busybox-linux-$arch"); done

  rm -rf "$dist/image"
  say "build 1: $dist/image"
  "$work/wurzel-image" build -C "$root" -rev "$rev" -platform linux/amd64,linux/arm64 "${busybox[@]}" \
    -shell-name "$shell_name" -o "$dist/image"
  say "build 2, with an empty Go build cache"
  "$work/wurzel-image" build -C "$root" -rev "$rev" -platform linux/amd64,linux/arm64 "${busybox[@]}" \
    -shell-name "$shell_name" -gocache "$work/gocache" -o "$work/image-2"
  same "$dist/image" "$work/image-2"
  say "both builds are the same bytes: index.json $(sha256sum < "$dist/image/index.json" | cut -c1-16)…, $(find "$dist/image/blobs" -type f | wc -l) blobs"

  say "verify $dist/image"
  "$work/wurzel-image" verify -C "$root" -rev "$rev" "$dist/image"
  say "image size: $(du -sh "$dist/image" | cut -f1) on disk for both tags and platforms"
}

release() {
  go build -o "$work/wurzel-release" ./cmd/wurzel-release
  local snapshot=()
  if ! git -C "$root" tag --points-at "$rev" --list 'v[0-9]*' | grep -q .; then snapshot=(-snapshot); fi
  rm -rf "$dist/release"
  say "release archives 1: $dist/release"
  "$work/wurzel-release" -C "$root" -rev "$rev" "${snapshot[@]}" -o "$dist/release"
  say "release archives 2"
  "$work/wurzel-release" -C "$root" -rev "$rev" "${snapshot[@]}" -o "$work/release-2" >/dev/null
  same "$dist/release" "$work/release-2"
  (cd "$dist/release" && sha256sum -c --quiet SHA256SUMS)
  for f in "$dist"/release/*.tar.gz; do
    local want
    want=$(basename "$f" .tar.gz)
    tar -tzf "$f" | grep -v "^$want/LICENSE\$" | diff - <(printf '%s/\n%s/README.md\n%s/wurzel\n' "$want" "$want" "$want") >/dev/null || {
      echo "$f: unexpected contents:" >&2
      tar -tzf "$f" >&2
      return 1
    }
  done
  say "both builds are the same bytes; SHA256SUMS checks; each archive holds wurzel and README.md"
}

case ${1:-} in
  image) image ;;
  release) release ;;
  *) echo "usage: build/ci.sh image|release" >&2; exit 2 ;;
esac
