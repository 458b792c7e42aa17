#!/usr/bin/env bash
# Installs what sharpipc needs to build and test on a Debian or Ubuntu machine.
#
#   scripts/deps.sh [--all | --native] [--no-check]
#   scripts/deps.sh --print-fuzz-clang
#
#   --all       (default) native tools, plus mingw-w64, wine (64-bit), a clang
#               that links -fsanitize=fuzzer, and mono-complete (the Remoting peer)
#   --native    only the native tools: cmake gcc libc6-dev make pkg-config
#               libcmocka-dev valgrind dpkg-dev clang-format libjansson-dev
#   --no-check  skip the closing checks (a native cmocka test; with --all also a
#               64-bit program under wine)
#   --print-fuzz-clang
#               install nothing; print the path of a clang that links
#               -fsanitize=fuzzer, or exit 1 when there is none
#
# Idempotent: it asks dpkg what is installed, runs `apt-get update` at most once
# and only when something is missing, and installs only what is missing.
# Run as root, or as a user with sudo. It exits non-zero when a required package
# could not be installed or a check fails, and names what failed.
#
# It does not install the .NET SDK (Debian's mirrors do not carry it). When
# `dotnet` is missing it says so: the .NET interop lanes are then skipped, and
# under CI=true that is an error.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

mode=all
check=1
print_clang=0
for arg in "$@"; do
  case "$arg" in
    --all) mode=all ;;
    --native) mode=native ;;
    --no-check) check=0 ;;
    --print-fuzz-clang) print_clang=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "deps.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say()  { printf 'deps: %s\n' "$*"; }
warn() { printf 'deps: WARNING: %s\n' "$*" >&2; }
err()  { printf 'deps: ERROR: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- clang for libFuzzer
# Prints the first clang (on PATH or in /usr/lib/llvm-*/bin) that compiles and links
# a trivial libFuzzer target, or returns 1.
fuzz_clang_works() {
  local cc=$1 tmp rc
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    > "$tmp/f.c"
  "$cc" -fsanitize=fuzzer,address -o "$tmp/f" "$tmp/f.c" >/dev/null 2>&1 && "$tmp/f" -runs=1 >/dev/null 2>&1
  rc=$?
  rm -rf "$tmp"
  return $rc
}

find_fuzz_clang() {
  local cands=() c v
  # The preferred one first (bookworm's), then the highest-numbered one, then plain clang.
  for v in 14 $(seq 30 -1 11); do
    cands+=("clang-$v" "/usr/lib/llvm-$v/bin/clang")
  done
  cands+=(clang)
  for c in "${cands[@]}"; do
    c=$(command -v "$c" 2>/dev/null) || continue
    if fuzz_clang_works "$c"; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}

if [ "$print_clang" = 1 ]; then
  find_fuzz_clang
  exit $?
fi

# ---------------------------------------------------------------- privileges, apt
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)   # sudo resets the environment
else
  SUDO=(false)   # only fails if something has to be installed
fi
export DEBIAN_FRONTEND=noninteractive

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  err "this script needs apt-get and dpkg (Debian or Ubuntu)"
  exit 1
fi

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# apt-get update, at most once per run.
updated=0
apt_update() {
  [ "$updated" = 1 ] && return 0
  if [ "${SUDO[0]:-}" = false ]; then
    err "not root and no sudo: cannot install anything"
    exit 1
  fi
  say "apt-get update"
  if ! "${SUDO[@]}" apt-get update -q >/tmp/deps-apt-update.$$ 2>&1; then
    cat /tmp/deps-apt-update.$$ >&2
    warn "apt-get update reported errors; going on with the package lists it got"
  fi
  rm -f /tmp/deps-apt-update.$$
  updated=1
}

# Is there an installation candidate for this package name?
has_candidate() {
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
  [ -n "$c" ] && [ "$c" != "(none)" ]
}

APT_INSTALL=(apt-get install -y -q --no-install-recommends
             -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

failed=()     # required packages that could not be installed
installed_now=()

# install_pkgs PKG...: installs those not yet installed; records failures in $failed.
install_pkgs() {
  local missing=() p
  for p in "$@"; do
    is_installed "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_update
  say "installing: ${missing[*]}"
  if "${SUDO[@]}" "${APT_INSTALL[@]}" "${missing[@]}"; then
    installed_now+=("${missing[@]}")
    return 0
  fi
  if [ ${#missing[@]} -eq 1 ]; then
    failed+=("${missing[0]}")
    return 0
  fi
  # Find out which ones failed, one at a time.
  warn "installing them together failed; trying one at a time"
  for p in "${missing[@]}"; do
    if "${SUDO[@]}" "${APT_INSTALL[@]}" "$p"; then
      installed_now+=("$p")
    else
      failed+=("$p")
    fi
  done
}

# ---------------------------------------------------------------- the packages
# libc6-dev: gcc only recommends it, and recommends are not installed.
native_pkgs=(cmake gcc libc6-dev make pkg-config libcmocka-dev valgrind dpkg-dev clang-format)
# libjansson-dev: the JSON library of the StreamJsonRpc module (the library builds without it and
# leaves StreamJsonRpc out; the test lanes and CI require it).
native_pkgs+=(libjansson-dev)
cross_pkgs=(mingw-w64 wine wine64)
# The Remoting peer (hremoting): Mono's TcpChannel server and client, mcs to build them. --all
# (and so CI) installs it; a configure under CI=true fails without it (tests/unit/CMakeLists.txt).
peer_pkgs=(mono-complete)

if [ "$mode" = all ]; then
  install_pkgs "${native_pkgs[@]}" "${cross_pkgs[@]}" "${peer_pkgs[@]}"
else
  install_pkgs "${native_pkgs[@]}"
fi

fuzz_clang=""
if [ "$mode" = all ]; then
  if fuzz_clang=$(find_fuzz_clang); then
    :
  else
    fuzz_clang=""
    apt_update
    # bookworm: clang-14 + libclang-rt-14-dev; elsewhere the distro's clang-N, newest first.
    tried=()
    for v in 14 $(seq 30 -1 11); do
      has_candidate "clang-$v" || continue
      pk=("clang-$v")
      has_candidate "libclang-rt-$v-dev" && pk+=("libclang-rt-$v-dev")
      tried+=("${pk[*]}")
      nfail=${#failed[@]}
      install_pkgs "${pk[@]}"
      # A failure here is only fatal if no clang works in the end.
      failed=("${failed[@]:0:$nfail}")
      if fuzz_clang=$(find_fuzz_clang); then break; fi
      fuzz_clang=""
    done
    if [ -z "$fuzz_clang" ]; then
      err "no clang that links -fsanitize=fuzzer (tried: ${tried[*]:-no clang-N package available})"
      failed+=("clang-with-libFuzzer")
    fi
  fi
  if [ -n "$fuzz_clang" ]; then say "clang for libFuzzer: $fuzz_clang"; fi
fi

# ---------------------------------------------------------------- what is still missing
if [ "$mode" = all ]; then required_cmds=(cmake gcc make pkg-config valgrind dpkg-source x86_64-w64-mingw32-gcc wine mono mcs)
else required_cmds=(cmake gcc make pkg-config valgrind dpkg-source); fi
for c in "${required_cmds[@]}"; do
  if ! command -v "$c" >/dev/null 2>&1; then
    err "command not found after install: $c"
    failed+=("cmd:$c")
  fi
done
if ! [ -f /usr/include/cmocka.h ]; then
  err "cmocka.h not found after install (libcmocka-dev)"
  failed+=("file:/usr/include/cmocka.h")
fi
if ! [ -f /usr/include/jansson.h ]; then
  err "jansson.h not found after install (libjansson-dev, needed for StreamJsonRpc)"
  failed+=("file:/usr/include/jansson.h")
fi

# ---------------------------------------------------------------- .NET SDK: never installed here
dotnet_rc=0
if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q .; then
  say "dotnet: $(dotnet --version 2>/dev/null) (the .NET interop lanes can run)"
else
  msg="the .NET SDK (dotnet) is missing and this script cannot install it (it is not in Debian's archive)"
  if [ "${CI:-}" = true ]; then
    err "$msg; CI=true requires the .NET interop lanes, so this is an error"
    dotnet_rc=1
  else
    warn "$msg: the .NET interop lanes will be skipped"
  fi
fi

# ---------------------------------------------------------------- checks
if [ "$check" = 1 ] && [ ${#failed[@]} -eq 0 ]; then
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stdarg.h>' '#include <stddef.h>' '#include <stdint.h>' \
    '#include <setjmp.h>' '#include <cmocka.h>' \
    'static void t(void **s) { (void)s; assert_int_equal(1, 1); }' \
    'int main(void) { const struct CMUnitTest ts[] = { cmocka_unit_test(t) };' \
    '  return cmocka_run_group_tests(ts, NULL, NULL); }' > "$tmp/t.c"
  # shellcheck disable=SC2046
  if gcc -o "$tmp/t" "$tmp/t.c" $(pkg-config --cflags --libs cmocka) && "$tmp/t" >/dev/null 2>&1; then
    say "gcc builds and runs a cmocka test"
  else
    err "gcc could not build or run a trivial cmocka test"
    failed+=("check:gcc+cmocka")
  fi
  rm -rf "$tmp"
fi
if [ "$check" = 1 ] && [ ${#failed[@]} -eq 0 ] && [ "$mode" = all ]; then
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stdio.h>' \
    'int main(void) { printf("hello from %d-bit windows\n", (int)(8 * sizeof(void *))); return 0; }' \
    > "$tmp/hello.c"
  if ! x86_64-w64-mingw32-gcc -static -o "$tmp/hello.exe" "$tmp/hello.c"; then
    err "x86_64-w64-mingw32-gcc cannot build a trivial program"
    failed+=("check:mingw-w64")
  else
    # shellcheck source=scripts/wine-env.sh
    . "$SCRIPT_DIR/wine-env.sh"
    out=$(timeout 300 "$SHARPIPC_WINE" "$tmp/hello.exe" 2>&1 </dev/null) || true
    if [ "$(printf '%s' "$out" | tr -d '\r')" = "hello from 64-bit windows" ]; then
      say "wine runs 64-bit programs (prefix $WINEPREFIX)"
    else
      err "wine did not run a 64-bit program; it printed: $out"
      failed+=("check:wine64")
    fi
  fi
  rm -rf "$tmp"
fi

if [ ${#installed_now[@]} -gt 0 ]; then
  say "installed: ${installed_now[*]}"
elif [ "$updated" = 0 ]; then
  say "nothing to install"
fi
if [ ${#failed[@]} -gt 0 ]; then
  err "could not install or verify: ${failed[*]}"
  exit 1
fi
exit $dotnet_rc
