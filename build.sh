#!/usr/bin/env bash
# build.sh — fetch libuv's pinned source, verify it, and build the static,
# position-independent libuv that the uv package links (build/lib/libuv.a,
# headers in build/include). A second run is a quick no-op.
#
# Where the source comes from, in this order:
#   1. a tarball named by LIBUV_TARBALL (Debian's orig tarball or libuv's release
#      archive; its sha256 must match third_party/libuv/pin);
#   2. a tree an earlier run unpacked and verified (third_party/libuv/src/);
#   3. Debian's source package, through apt-get source with a temporary deb-src
#      list derived from the machine's own apt sources (their suites renamed to
#      the pin's LIBUV_DEBIAN_SUITE) and temporary state directories (the
#      system's apt configuration is not touched);
#   4. libuv's release archive, where the network allows.
#
# build.sh --source-dir only fetches and verifies the source, and prints the
# directory it is unpacked in (scripts/windows-stage.sh builds it with mingw).
set -euo pipefail
source_only=0
[ "${1:-}" = "--source-dir" ] && source_only=1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pin="$root/third_party/libuv/pin"
srcroot="$root/third_party/libuv/src"
out="$root/build"
# shellcheck source=third_party/libuv/pin
. "$pin"

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

stamp_want="libuv $LIBUV_VERSION $(sha256sum "$pin" "$root/CMakeLists.txt" | sha256sum | cut -c1-16)"
if [ "$source_only" = 0 ] && [ -f "$out/lib/libuv.a" ] && [ -f "$out/include/uv.h" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp_want" ]; then
  say "libuv $LIBUV_VERSION is built (build/lib/libuv.a); nothing to do"
  exit 0
fi

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# apply_patch DIR FILE: one -p1 patch, with patch(1), or with git apply where
# patch is missing (minimal Debian images have git but not patch).
apply_patch() {
  if command -v patch >/dev/null; then
    patch -s -p1 -d "$1" < "$2"
  else
    (cd "$1" && git apply -p1 --whitespace=nowarn "$2")
  fi
}

# unpack TARBALL TOPDIR PATCHES_TARBALL: verified source into $srcroot, Debian's patches applied.
unpack() {
  local tarball=$1 topdir=$2 debian=${3:-}
  rm -rf "$srcroot"
  mkdir -p "$srcroot"
  tar -xzf "$tarball" -C "$srcroot"
  [ -d "$srcroot/$topdir" ] || die "$tarball did not unpack to $topdir"
  if [ -n "$debian" ]; then
    [ "$(sha256_of "$debian")" = "$LIBUV_DEBIAN_PATCHES_SHA256" ] ||
      die "$debian has sha256 $(sha256_of "$debian"), not the $LIBUV_DEBIAN_PATCHES pinned in third_party/libuv/pin"
    tar -xJf "$debian" -C "$srcroot/$topdir"
    local series="$srcroot/$topdir/debian/patches/series" n=0
    if [ -f "$series" ]; then
      while read -r p _; do
        case "$p" in ''|'#'*) continue ;; esac
        apply_patch "$srcroot/$topdir" "$srcroot/$topdir/debian/patches/$p" || die "Debian patch $p does not apply"
        n=$((n + 1))
      done < "$series"
    fi
    say "applied $n Debian patches ($(grep -v '^#' "$series" 2>/dev/null | tr '\n' ' '))"
  fi
  echo "$topdir" > "$srcroot/.ready"
}

# from_tarball FILE [DEBIAN_TARBALL]: accept it if its sha256 is one the pin names.
from_tarball() {
  local sum; sum=$(sha256_of "$1")
  case "$sum" in
    "$LIBUV_DEBIAN_ORIG_SHA256") unpack "$1" "$LIBUV_DEBIAN_TOPDIR" "${2:-}" ;;
    "${LIBUV_RELEASE_SHA256:-none}") unpack "$1" "$LIBUV_RELEASE_TOPDIR" ;;
    *) die "$1 has sha256 $sum, which is not a libuv $LIBUV_VERSION tarball pinned in third_party/libuv/pin" ;;
  esac
}

from_debian() {
  command -v apt-get >/dev/null || return 1
  local t; t=$(mktemp -d)
  mkdir -p "$t/parts" "$t/lists/partial" "$t/cache/archives/partial"
  local f codename
  # The machine's own release name in its sources becomes the pin's suite
  # (bookworm-security becomes trixie-security, and so on).
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  local rename="s/^\$/\$/"
  [ -n "$codename" ] && rename="s/\\<$codename\\>/$LIBUV_DEBIAN_SUITE/g"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && sed -E -e 's/^Types:.*/Types: deb-src/' -e "/^Suites:/$rename" "$f" > "$t/parts/$(basename "$f")"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && { grep -E '^deb ' "$f" | sed -E -e 's/^deb /deb-src /' -e "$rename" > "$t/parts/$(basename "$f").list" || true; }
  done
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$t/parts" -o "Dir::State::Lists=$t/lists"
    -o "Dir::Cache=$t/cache" -o "APT::Sandbox::User=$(id -un)" -o Debug::NoLocking=1)
  say "fetching Debian's source package libuv1=$LIBUV_DEBIAN_VERSION"
  if (cd "$t" && apt-get "${opts[@]}" -qq update >/dev/null 2>&1 &&
      apt-get "${opts[@]}" -qq source --download-only "libuv1=$LIBUV_DEBIAN_VERSION" >/dev/null 2>&1) &&
     [ -f "$t/$LIBUV_DEBIAN_ORIG" ]; then
    [ -f "$t/$LIBUV_DEBIAN_PATCHES" ] || { rm -rf "$t"; die "Debian's source package came without $LIBUV_DEBIAN_PATCHES"; }
    from_tarball "$t/$LIBUV_DEBIAN_ORIG" "$t/$LIBUV_DEBIAN_PATCHES"
    rm -rf "$t"
    return 0
  fi
  rm -rf "$t"
  return 1
}

from_release() {
  local t; t=$(mktemp -d)
  say "fetching libuv's release archive"
  if command -v curl >/dev/null; then
    curl -fsSL --max-time 120 -o "$t/libuv.tar.gz" "$LIBUV_RELEASE_URL" || { rm -rf "$t"; return 1; }
  elif command -v wget >/dev/null; then
    wget -q -T 120 -O "$t/libuv.tar.gz" "$LIBUV_RELEASE_URL" || { rm -rf "$t"; return 1; }
  else
    rm -rf "$t"; return 1
  fi
  from_tarball "$t/libuv.tar.gz"
  rm -rf "$t"
}

# ensure_tools: cmake, and a way to apply Debian's patches (patch, or git);
# installed with apt-get when run as root, else named in the error.
ensure_tools() {
  local need=()
  command -v cmake >/dev/null || need+=(cmake)
  command -v patch >/dev/null || command -v git >/dev/null || need+=(patch)
  [ ${#need[@]} = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]} with apt-get"
    apt-get -qq update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y "${need[@]}" >/dev/null ||
      die "apt-get could not install ${need[*]}"
  else
    die "${need[*]} missing: install (Debian: sudo apt-get install ${need[*]}) and run build.sh again"
  fi
}

command -v cc >/dev/null || command -v gcc >/dev/null || die "a C compiler is missing: install gcc"
ensure_tools

if [ -n "${LIBUV_TARBALL:-}" ]; then
  [ -f "$LIBUV_TARBALL" ] || die "LIBUV_TARBALL=$LIBUV_TARBALL is not a file"
  from_tarball "$LIBUV_TARBALL" "${LIBUV_DEBIAN_TARBALL:-}"
elif [ -f "$srcroot/.ready" ] && [ -d "$srcroot/$(cat "$srcroot/.ready")" ] &&
  { [ "$(cat "$srcroot/.ready")" = "$LIBUV_DEBIAN_TOPDIR" ] || [ "$(cat "$srcroot/.ready")" = "$LIBUV_RELEASE_TOPDIR" ]; }; then
  say "using the source unpacked by an earlier run ($srcroot/$(cat "$srcroot/.ready"))"
else
  from_debian || from_release ||
    die "could not get libuv $LIBUV_VERSION's source: set LIBUV_TARBALL to $LIBUV_DEBIAN_ORIG (sha256 $LIBUV_DEBIAN_ORIG_SHA256) or to libuv's v$LIBUV_VERSION release archive (sha256 $LIBUV_RELEASE_SHA256)"
fi
src="$srcroot/$(cat "$srcroot/.ready")"
if [ "$source_only" = 1 ]; then echo "$src"; exit 0; fi

say "building libuv $LIBUV_VERSION (static, position-independent)"
cmake -S "$root" -B "$out/cmake" -DLIBUV_SOURCE_DIR="$src" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="-O2 -g" >"$out.cmake.log" 2>&1 || { cat "$out.cmake.log" >&2; die "cmake configure failed"; }
cmake --build "$out/cmake" --target uv_a -j "$(nproc 2>/dev/null || echo 2)" >>"$out.cmake.log" 2>&1 ||
  { tail -n 40 "$out.cmake.log" >&2; die "building libuv failed"; }
rm -f "$out.cmake.log"
# The static library is libuv_a.a in libuv 1.44, libuv.a in 1.50.
lib=$(find "$out/cmake" \( -name 'libuv_a.a' -o -name 'libuv.a' \) | head -n1)
[ -n "$lib" ] || die "the build made no static libuv (libuv_a.a or libuv.a)"
mkdir -p "$out/lib" "$out/include"
cp "$lib" "$out/lib/libuv.a"
rm -rf "$out/include"; cp -r "$src/include" "$out/include"
echo "$stamp_want" > "$out/.stamp"
say "built build/lib/libuv.a (libuv $LIBUV_VERSION from $(basename "$src"))"
