#!/usr/bin/env bash
# Builds a test or module dependency of sharpipc for x86_64-w64-mingw32 (static library only)
# from Debian's or Ubuntu's source package and installs it into <repo>/.deps/mingw:
#
#   cmocka   the unit-test framework
#            .deps/mingw/include/cmocka.h, cmocka_pbc.h
#            .deps/mingw/lib/libcmocka.a              (also as libcmocka-static.a)
#            .deps/mingw/lib/cmake/cmocka/cmocka-config.cmake   (imported target cmocka::cmocka)
#            .deps/mingw/lib/pkgconfig/cmocka.pc
#   jansson  the JSON library of the StreamJsonRpc module
#            .deps/mingw/include/jansson.h, jansson_config.h
#            .deps/mingw/lib/libjansson.a
#            .deps/mingw/lib/cmake/jansson/         (Jansson's own CMake package files)
#            .deps/mingw/lib/pkgconfig/jansson.pc
#
# The mingw toolchain file cmake/mingw-w64-x86_64.cmake puts .deps/mingw on
# CMAKE_FIND_ROOT_PATH, so find_path, find_library and find_package all find them.
#
#   scripts/build-mingw-dep.sh <cmocka|jansson> [--force] [--check]
#
#   --force   rebuild even when the stamp says it is built
#   --check   when already built, run the smoke test anyway
#
# Skips all work when .deps/mingw/.<package>-stamp names the version wanted (that of the
# installed Debian -dev package, or whatever was built when there is none). Otherwise it adds
# deb-src entries when apt has none (a separate file,
# /etc/apt/sources.list.d/sharpipc-deb-src.{sources,list}, made from the system's Debian/Ubuntu
# entries), runs `apt-get source <package>`, builds, installs, and checks the result: a tiny
# program (scripts/<package>-smoke.c), statically linked with x86_64-w64-mingw32-gcc, must print
# its line under wine.
# Needs root (or sudo) only to add deb-src entries and run apt-get update.
# Needs: scripts/deps.sh --all.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/.." && pwd)
TRIPLE=x86_64-w64-mingw32
PREFIX=$REPO/.deps/mingw
TOOLCHAIN=$REPO/cmake/mingw-w64-x86_64.cmake

pkg=
force=0
check=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --check) check=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "build-mingw-dep.sh: unknown argument: $arg" >&2; exit 2 ;;
    *) [ -z "$pkg" ] || { echo "build-mingw-dep.sh: one package at a time" >&2; exit 2; }; pkg=$arg ;;
  esac
done

say() { printf '%s-mingw: %s\n' "${pkg:-mingw-dep}" "$*"; }
die() { printf '%s-mingw: ERROR: %s\n' "${pkg:-mingw-dep}" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- the packages
# What differs between the packages: the Debian -dev package whose version is wanted, the files
# that show it is installed, the smoke test's library and its expected line, the options of the
# package's own CMake build, and how the build's results are installed.
case "$pkg" in
  cmocka)
    DEV_PKG=libcmocka-dev
    INSTALLED=(lib/libcmocka.a include/cmocka.h)
    SMOKE_LIB=-lcmocka
    SMOKE_OK='^\[  PASSED  \] 2 test(s)\.$'
    PKG_CMAKE_ARGS=(-DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF
                    -DUNIT_TESTING=OFF -DPICKY_DEVELOPER=OFF)
    ;;
  jansson)
    DEV_PKG=libjansson-dev
    INSTALLED=(lib/libjansson.a include/jansson.h)
    SMOKE_LIB=-ljansson
    # The exact int64 JSON-RPC needs.
    SMOKE_OK='^jansson ok 9223372036854775807$'
    PKG_CMAKE_ARGS=(-DJANSSON_BUILD_SHARED_LIBS=OFF -DJANSSON_BUILD_DOCS=OFF -DJANSSON_EXAMPLES=OFF
                    -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_INSTALL_CMAKE_DIR="$PREFIX/lib/cmake/jansson")
    ;;
  "") echo "usage: scripts/build-mingw-dep.sh <cmocka|jansson> [--force] [--check]" >&2; exit 2 ;;
  *) echo "build-mingw-dep.sh: unknown package: $pkg (cmocka or jansson)" >&2; exit 2 ;;
esac
WORK=$REPO/.deps/src/$pkg-mingw
STAMP=$PREFIX/.$pkg-stamp
SMOKE_SRC=$SCRIPT_DIR/$pkg-smoke.c

# cmocka's own build installs neither a static CMake package nor a .pc for mingw: copy the
# library and headers and write both.
install_cmocka() {
  rm -rf "$PREFIX/include/cmocka.h" "$PREFIX/include/cmocka_pbc.h" "$PREFIX/lib/libcmocka"* \
         "$PREFIX/lib/cmake/cmocka" "$PREFIX/lib/pkgconfig/cmocka.pc" "$STAMP"
  mkdir -p "$PREFIX/include" "$PREFIX/lib/cmake/cmocka" "$PREFIX/lib/pkgconfig"
  local lib upstream
  lib=$(find "$WORK/build" -name libcmocka-static.a | head -n 1)
  [ -n "$lib" ] || lib=$(find "$WORK/build" -name libcmocka.a | head -n 1)
  [ -n "$lib" ] || die "the build made no static libcmocka"
  cp "$lib" "$PREFIX/lib/libcmocka.a"
  cp "$lib" "$PREFIX/lib/libcmocka-static.a"
  cp "$srcdir"/include/cmocka.h "$PREFIX/include/"
  [ -f "$srcdir/include/cmocka_pbc.h" ] && cp "$srcdir/include/cmocka_pbc.h" "$PREFIX/include/"
  upstream=${version%%-*}
  cat > "$PREFIX/lib/cmake/cmocka/cmocka-config.cmake" <<'EOC'
# cmocka, static, for x86_64-w64-mingw32; written by sharpipc scripts/build-mingw-dep.sh
get_filename_component(_cmocka_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET cmocka::cmocka)
  add_library(cmocka::cmocka STATIC IMPORTED)
  set_target_properties(cmocka::cmocka PROPERTIES
    IMPORTED_LOCATION "${_cmocka_prefix}/lib/libcmocka.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_cmocka_prefix}/include")
endif()
if(NOT TARGET cmocka::cmocka-static)
  add_library(cmocka::cmocka-static ALIAS cmocka::cmocka)
endif()
set(CMOCKA_INCLUDE_DIR "${_cmocka_prefix}/include")
set(CMOCKA_LIBRARY cmocka::cmocka)
set(CMOCKA_LIBRARIES cmocka::cmocka)
set(cmocka_FOUND TRUE)
unset(_cmocka_prefix)
EOC
  cat > "$PREFIX/lib/cmake/cmocka/cmocka-config-version.cmake" <<EOC
set(PACKAGE_VERSION "$upstream")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
EOC
  cat > "$PREFIX/lib/pkgconfig/cmocka.pc" <<EOC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: cmocka
Description: The cmocka unit testing library (static, $TRIPLE)
Version: $upstream
Libs: -L\${libdir} -lcmocka
Cflags: -I\${includedir}
EOC
}

# Jansson's own install rules already write its static CMake package and jansson.pc.
install_jansson() {
  rm -rf "$PREFIX/include/jansson.h" "$PREFIX/include/jansson_config.h" "$PREFIX/lib/libjansson"* \
         "$PREFIX/lib/cmake/jansson" "$PREFIX/lib/pkgconfig/jansson.pc" "$STAMP"
  cmake --install "$WORK/build" > "$WORK/install.log" 2>&1 \
    || { tail -n 40 "$WORK/install.log" >&2; die "installing jansson failed (log: $WORK/install.log)"; }
  [ -f "$PREFIX/lib/libjansson.a" ] || die "the build installed no static libjansson.a"
}

if [ "$(id -u)" -eq 0 ]; then SUDO=()
elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo)
else SUDO=(); fi

# ---------------------------------------------------------------- smoke test
smoke_test() {
  local tmp out
  tmp=$(mktemp -d)
  "$TRIPLE-gcc" -std=c11 -Wall -Wextra -Werror -static \
    -I"$PREFIX/include" -o "$tmp/$pkg-smoke.exe" "$SMOKE_SRC" \
    -L"$PREFIX/lib" "$SMOKE_LIB" \
    || { rm -rf "$tmp"; die "the smoke test does not compile or link against $PREFIX"; }
  # shellcheck source=scripts/wine-env.sh
  . "$SCRIPT_DIR/wine-env.sh"
  out=$(timeout 300 "$SHARPIPC_WINE" "$tmp/$pkg-smoke.exe" 2>&1 </dev/null | tr -d '\r') || {
    printf '%s\n' "$out" >&2; rm -rf "$tmp"; die "the smoke test failed under wine"; }
  rm -rf "$tmp"
  printf '%s\n' "$out" | sed 's/^/    /'
  printf '%s\n' "$out" | grep -q "$SMOKE_OK" || die "the smoke test did not print its expected line"
  say "smoke test passed under wine"
}

# ---------------------------------------------------------------- up to date?
want=$(dpkg-query -W -f='${db:Status-Status} ${source:Version}' "$DEV_PKG" 2>/dev/null \
       | awk '$1 == "installed" {print $2}') || true
have=$(awk '{print $2}' "$STAMP" 2>/dev/null) || true
built=1
for f in "${INSTALLED[@]}"; do [ -f "$PREFIX/$f" ] || built=0; done
if [ "$force" = 0 ] && [ -n "$have" ] && [ "$built" = 1 ] && { [ -z "$want" ] || [ "$want" = "$have" ]; }; then
  say "$pkg $have for $TRIPLE is already in $PREFIX"
  [ "$check" = 1 ] && smoke_test
  exit 0
fi

for c in "$TRIPLE-gcc" "$TRIPLE-ar" cmake make dpkg-source apt-get; do
  command -v "$c" >/dev/null 2>&1 || die "$c not found: run scripts/deps.sh --all first"
done
[ -f "$SMOKE_SRC" ] || die "missing $SMOKE_SRC"

# ---------------------------------------------------------------- deb-src entries
have_src() { apt-cache showsrc "$pkg" 2>/dev/null | grep -q "^Package: $pkg\$"; }

# Writes deb-src twins of the system's Debian/Ubuntu "deb" entries into a file of
# our own; the system's files are left as they are. Handles deb822 *.sources
# (bookworm, Ubuntu 24.04+) and one-line sources.list / *.list (older ones).
# An entry counts as Debian's or Ubuntu's when its URI is on *.debian.org or
# *.ubuntu.com, or when it ends in /debian, /debian-security, /ubuntu or
# /ubuntu-ports and has the component main or universe (which third-party
# repositories with such paths, like Docker's, don't have).
AWK_OFFICIAL='
function official(u, comps,   h) {
  u = tolower(u); sub(/\/+$/, "", u)
  h = u; sub(/^[a-z0-9+]+:\/\//, "", h); sub(/[:\/].*/, "", h)
  if (h ~ /(^|\.)debian\.org$/ || h ~ /(^|\.)ubuntu\.com$/) return 1
  return u ~ /\/(debian|debian-security|ubuntu|ubuntu-ports)$/ && (" " comps " ") ~ /[ \t](main|universe)[ \t]/
}'
add_deb_src() {
  local f tmp822 tmpone
  tmp822=$(mktemp); tmpone=$(mktemp)
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    case "$f" in */sharpipc-deb-src.sources) continue ;; esac
    # Paragraph mode: one stanza per record. Keep enabled stanzas of type deb that
    # have no deb-src yet.
    awk "$AWK_OFFICIAL"'
      BEGIN { RS = ""; FS = "\n" }
      {
        out = ""; types = ""; uris = ""; comps = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i; key = tolower(line); val = line; sub(/^[^:]*:[ \t]*/, "", val)
          if (line ~ /^#/) continue
          if (key ~ /^types:/)         { types = val; continue }
          if (key ~ /^architectures:/) continue
          if (key ~ /^uris:/)          uris = val
          if (key ~ /^components:/)    comps = val
          if (key ~ /^enabled:/)       enabled = tolower(val)
          out = out line "\n"
        }
        if (enabled == "no" || (" " types " ") !~ / deb / || (" " types " ") ~ / deb-src /) next
        n = split(uris, u, /[ \t]+/); ok = 0
        for (j = 1; j <= n; j++) if (u[j] != "" && official(u[j], comps)) ok = 1
        if (!ok) next
        printf "Types: deb-src\n%s\n", out
      }' "$f" >> "$tmp822"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    case "$f" in */sharpipc-deb-src.list) continue ;; esac
    # deb [options] uri suite components...  ->  deb-src, without the arch= option.
    awk "$AWK_OFFICIAL"'
      $1 == "deb" {
        line = $0
        opts = ""
        if (match(line, /\[[^]]*\]/)) { opts = substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH) }
        n = split(line, w, /[ \t]+/)
        comps = ""; for (i = 4; i <= n; i++) comps = comps " " w[i]
        if (n < 4 || !official(w[2], comps)) next
        m = split(opts, o, /[ \t]+/); keep = ""
        for (i = 1; i <= m; i++) if (o[i] != "" && o[i] !~ /^arch(\+|-)?=/) keep = keep (keep == "" ? "" : " ") o[i]
        printf "deb-src %s%s", (keep == "" ? "" : "[" keep "] "), w[2]
        for (i = 3; i <= n; i++) printf " %s", w[i]
        printf "\n"
      }' "$f" >> "$tmpone"
  done
  shopt -u nullglob
  if [ ! -s "$tmp822" ] && [ ! -s "$tmpone" ]; then
    rm -f "$tmp822" "$tmpone"
    die "found no Debian/Ubuntu apt entries to derive deb-src entries from"
  fi
  if [ -s "$tmp822" ]; then
    say "adding deb-src entries: /etc/apt/sources.list.d/sharpipc-deb-src.sources"
    { echo "# Written by sharpipc scripts/build-mingw-dep.sh for apt-get source"; echo; cat "$tmp822"; } \
      | "${SUDO[@]}" tee /etc/apt/sources.list.d/sharpipc-deb-src.sources >/dev/null
  fi
  if [ -s "$tmpone" ]; then
    say "adding deb-src entries: /etc/apt/sources.list.d/sharpipc-deb-src.list"
    { echo "# Written by sharpipc scripts/build-mingw-dep.sh for apt-get source"; awk '!seen[$0]++' "$tmpone"; } \
      | "${SUDO[@]}" tee /etc/apt/sources.list.d/sharpipc-deb-src.list >/dev/null
  fi
  rm -f "$tmp822" "$tmpone"
}
if ! have_src; then
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    die "apt has no deb-src entries and this is neither root nor sudo"
  fi
  if ! ls /etc/apt/sources.list.d/sharpipc-deb-src.* >/dev/null 2>&1; then
    add_deb_src
  fi
  say "apt-get update (for the source index)"
  "${SUDO[@]}" apt-get update -q >/dev/null || say "apt-get update reported errors; trying anyway"
  have_src || die "apt-get still knows no source package $pkg (check the deb-src entries)"
fi

# ---------------------------------------------------------------- source
rm -rf "$WORK"
mkdir -p "$WORK"
say "apt-get source $pkg"
apt_opts=(-q)
# Downloading as root into a directory _apt can't write: don't warn about the sandbox.
[ "$(id -u)" -eq 0 ] && apt_opts+=(-o APT::Sandbox::User=root)
# The version of the installed -dev package when apt still has it, else the newest.
if ! { [ -n "$want" ] && (cd "$WORK" && apt-get "${apt_opts[@]}" source "$pkg=$want") > "$WORK/apt-source.log" 2>&1; }; then
  (cd "$WORK" && apt-get "${apt_opts[@]}" source "$pkg") > "$WORK/apt-source.log" 2>&1 \
    || { cat "$WORK/apt-source.log" >&2; die "apt-get source $pkg failed"; }
fi
srcdir=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | head -n 1)
if [ -z "$srcdir" ] || [ ! -f "$srcdir/CMakeLists.txt" ]; then die "no unpacked $pkg source in $WORK"; fi
version=$(awk -F'[()]' 'NR == 1 {print $2}' "$srcdir/debian/changelog")
say "building $pkg $version for $TRIPLE"

# ---------------------------------------------------------------- build
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
cmake_args=(
  -S "$srcdir" -B "$WORK/build"
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_INSTALL_PREFIX="$PREFIX"
  -DCMAKE_INSTALL_LIBDIR=lib
  "${PKG_CMAKE_ARGS[@]}"
)
if [ -f "$TOOLCHAIN" ] && command -v wine >/dev/null 2>&1; then
  cmake_args+=(-DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN")
else
  cmake_args+=(-DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_PROCESSOR=x86_64
               -DCMAKE_C_COMPILER="$TRIPLE-gcc" -DCMAKE_RC_COMPILER="$TRIPLE-windres"
               -DCMAKE_FIND_ROOT_PATH="/usr/$TRIPLE"
               -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER
               -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY
               -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY)
fi
cmake "${cmake_args[@]}" > "$WORK/configure.log" 2>&1 \
  || { tail -n 40 "$WORK/configure.log" >&2; die "configuring $pkg failed (log: $WORK/configure.log)"; }
cmake --build "$WORK/build" -j "$jobs" > "$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; die "building $pkg failed (log: $WORK/build.log)"; }

# ---------------------------------------------------------------- install
"install_$pkg"
smoke_test
echo "$pkg $version $TRIPLE static" > "$STAMP"
say "installed $pkg $version into $PREFIX"
