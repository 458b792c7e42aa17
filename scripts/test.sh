#!/usr/bin/env bash
# The whole sharpipc test suite, every lane:
#   native      Debug build, cmocka unit tests + .NET interop tests (ctest)
#   bench-guard release build; bench/adapter_bench.c --quick against its .NET twin: fails when an
#               adapter call is slower than .NET's in the same run (a ratio, not a time limit)
#   asan        the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   fault       fault injection at the OS seam (SHARPIPC_FAULT_INJECTION), under ASan + UBSan:
#               the unit tests through the syscall table, and test_fault's failing OS calls
#   valgrind    every unit test binary under memcheck, zero errors and no leaks
#   mingw       mingw-w64 cross build; every test runs under wine, interop against .NET on Linux;
#               then the fault-injection tests in a second mingw build (build/mingw64-fault)
#   fuzz        libFuzzer on each parser for a bounded time
#   install     cmake --install, then a consumer built with pkg-config and with find_package
#               (natively and for mingw), and the library alone with BUILD_TESTING=OFF
#   format      every C file follows .clang-format (scripts/check-format.sh), first: it takes a second
#
#   scripts/test.sh [lane ...]        default: all lanes
#
# It installs what is missing first (scripts/deps.sh; set SHARPIPC_SKIP_DEPS=1 to skip).
# A lane that cannot run here (no dotnet, no wine) is reported as SKIPPED; with CI=true a
# skip is a failure, so a missing piece can never look like a pass.
# Environment: FUZZ_SECONDS (default 60 per target), JOBS (default nproc),
# VALGRIND_TIMEOUT (default 900 s per test binary under memcheck).
set -uo pipefail

REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CI=${CI:-false}
ALL_LANES=(format native bench-guard asan fault valgrind mingw fuzz install)
LANES=("$@")
[ ${#LANES[@]} -gt 0 ] || LANES=("${ALL_LANES[@]}")

declare -a RESULTS=()
passed=0 failed=0 skipped=0
banner() { printf '\n==================== %s ====================\n' "$*"; }
record() { # lane status detail
  RESULTS+=("$(printf '%-9s %-8s %s' "$1" "$2" "${3:-}")")
  case "$2" in PASSED) passed=$((passed + 1)) ;; FAILED) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
}
skip_or_fail() { # lane reason
  if [ "$CI" = true ]; then record "$1" FAILED "required on CI: $2"; else record "$1" SKIPPED "$2"; fi
}

# ---------------------------------------------------------------- dependencies
if [ "${SHARPIPC_SKIP_DEPS:-0}" != 1 ]; then
  banner "dependencies"
  deps_mode=--all
  if ! "$REPO/scripts/deps.sh" $deps_mode; then
    echo "test.sh: scripts/deps.sh could not install everything (see above)" >&2
    [ "$CI" = true ] && { echo "0 passed, 1 failed"; exit 1; }
  fi
fi

# ---------------------------------------------------------------- the .NET peer
PEER_DLL=
JSONRPC_PEER_DLL=
build_peer() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: dotnet (the .NET SDK) is not installed: the .NET interop tests cannot run." >&2
    echo "         Install the .NET 10 SDK (https://dot.net) to run them." >&2
    return 1
  fi
  banner "building the .NET peer (tests/dotnet/Peer)"
  dotnet build "$REPO/tests/dotnet/Peer" -c Release -o "$REPO/build/dotnet-peer" --nologo -v quiet || return 2
  PEER_DLL="$REPO/build/dotnet-peer/Peer.dll"
  # The StreamJsonRpc peer (hjsonrpc): its one package, StreamJsonRpc, restores from NuGet.
  banner "building the .NET StreamJsonRpc peer (tests/dotnet/JsonRpcPeer)"
  dotnet build "$REPO/tests/dotnet/JsonRpcPeer" -c Release -o "$REPO/build/dotnet-jsonrpcpeer" --nologo -v quiet || return 2
  JSONRPC_PEER_DLL="$REPO/build/dotnet-jsonrpcpeer/JsonRpcPeer.dll"
}
build_peer
peer_status=$?
peer_args=()
if [ -n "$PEER_DLL" ]; then
  peer_args=(-DSHARPIPC_DOTNET_PEER="$PEER_DLL" -DSHARPIPC_REQUIRE_INTEROP=ON -DSHARPIPC_JSONRPC_PEER="$JSONRPC_PEER_DLL")
fi
note_interop() { # lane
  if [ $peer_status -eq 1 ]; then skip_or_fail "$1-.net" "dotnet missing: interop tests not run"; fi
  if [ $peer_status -eq 2 ]; then record "$1-.net" FAILED "the .NET peer did not build"; fi
}

configure_build() { # preset [extra cmake args]
  local preset=$1; shift
  # CI must build StreamJsonRpc: there a missing Jansson fails the configuration.
  [ "$CI" = true ] && set -- "$@" -DSHARPIPC_REQUIRE_JSONRPC=ON
  cmake --preset "$preset" "$@" >"$REPO/build/$preset.configure.log" 2>&1 || { cat "$REPO/build/$preset.configure.log"; return 1; }
  cmake --build "$REPO/build/$preset" -j "$JOBS" || return 1
}

run_ctest() { # preset
  # --no-tests=error: a build directory with no tests (a cached BUILD_TESTING=OFF) must not pass
  ctest --test-dir "$REPO/build/$1" --output-on-failure --no-tests=error -j "$JOBS" --timeout 600
}

# The Win32 seam's own fault tests (test_fault*: failing OS calls through the syscall table, run
# under wine), which need a build with the table: those targets only, and only their tests.
mingw_fault() {
  echo "mingw: the fault-injection tests (build/mingw64-fault)"
  cmake --preset mingw64-fault >"$REPO/build/mingw64-fault.configure.log" 2>&1 ||
    { cat "$REPO/build/mingw64-fault.configure.log"; return 1; }
  cmake --build "$REPO/build/mingw64-fault" -j "$JOBS" --target test_fault test_fault_pipes test_fault_sockets || return 1
  ctest --test-dir "$REPO/build/mingw64-fault" -R '^unit\.test_fault' --output-on-failure --no-tests=error -j "$JOBS" \
    --timeout 600
}

mkdir -p "$REPO/build"
for lane in "${LANES[@]}"; do
  case "$lane" in
  native)
    banner "native (Debug)"
    # The native lane also runs the tests sized in GiB (SHARPIPC_BIG_TESTS: a 2 GiB text read to
    # its end, 6 s and 1 GiB here), which the sanitizer and valgrind lanes would take minutes over.
    if configure_build debug "${peer_args[@]}" && SHARPIPC_BIG_TESTS=1 run_ctest debug; then record native PASSED; else record native FAILED; fi
    note_interop native
    ;;
  bench-guard)
    banner "bench guard (adapter calls against .NET, release build)"
    if ! command -v dotnet >/dev/null 2>&1; then skip_or_fail bench-guard "dotnet missing: no .NET to compare with"; continue; fi
    if ! configure_build release; then record bench-guard FAILED "build"; continue; fi
    if ! dotnet build "$REPO/bench/dotnet/AdapterBench" -c Release -o "$REPO/build/dotnet-adapterbench" --nologo -v quiet; then
      record bench-guard FAILED "AdapterBench did not build"; continue
    fi
    guard_log="$REPO/build/release/bench-guard.log"
    if "$REPO/build/release/bin/adapter_bench" --quick --dotnet "$REPO/build/dotnet-adapterbench/AdapterBench.dll" \
         --baseline "$REPO/bench/adapter_guard_baseline.txt" | tee "$guard_log"; then
      record bench-guard PASSED
    else
      record bench-guard FAILED "$(grep -m1 '^guard: SLOWER' "$guard_log" || echo 'an adapter call is slower than .NET (table above)')"
    fi
    ;;
  asan)
    banner "ASan + UBSan"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    if configure_build asan "${peer_args[@]}" && run_ctest asan; then record asan PASSED; else record asan FAILED; fi
    note_interop asan
    ;;
  fault)
    banner "fault injection (syscall table, ASan + UBSan)"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    if configure_build fault && run_ctest fault; then record fault PASSED; else record fault FAILED; fi
    ;;
  valgrind)
    banner "valgrind memcheck"
    if ! command -v valgrind >/dev/null; then skip_or_fail valgrind "valgrind missing"; continue; fi
    if ! configure_build debug "${peer_args[@]}"; then record valgrind FAILED "build"; continue; fi
    vfail=0
    vcount=0
    # Each binary is bounded, as ctest bounds the other lanes' (--timeout): a hang fails in
    # VALGRIND_TIMEOUT seconds instead of eating CI's job limit. The whole suite of one binary
    # takes under a minute under memcheck on a quiet machine; the bound leaves room for a loaded one.
    vtimeout=${VALGRIND_TIMEOUT:-900}
    for t in "$REPO"/build/debug/bin/test_*; do
      [ -x "$t" ] || continue
      echo "valgrind: $(basename "$t")"
      vcount=$((vcount + 1))
      (cd "$REPO/build/debug" && SHARPIPC_VALGRIND=1 SHARPIPC_COUNTER_ITERATIONS=2000 timeout -k 30 "$vtimeout" valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
              --errors-for-leak-kinds=definite,indirect --track-fds=no "$t" >"$t.valgrind.log" 2>&1)
      vrc=$?
      if [ $vrc != 0 ]; then
        cat "$t.valgrind.log"; vfail=1
        [ $vrc = 124 ] || [ $vrc = 137 ] && echo "valgrind: $(basename "$t") did not finish in ${vtimeout} s: a hang (killed)"
      fi
    done
    # no test binary under memcheck is no pass
    if [ $vcount = 0 ]; then echo "valgrind: no test binaries in build/debug/bin"; vfail=1; fi
    if [ $vfail = 0 ]; then record valgrind PASSED; else record valgrind FAILED; fi
    ;;
  mingw)
    banner "mingw-w64 + wine"
    if ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! { command -v wine >/dev/null || command -v wine64 >/dev/null; }; then
      skip_or_fail mingw "mingw-w64 or wine missing"; continue
    fi
    # shellcheck source=wine-env.sh
    . "$REPO/scripts/wine-env.sh"
    if ! "$REPO/scripts/build-mingw-dep.sh" cmocka; then record mingw FAILED "cmocka for mingw did not build"; continue; fi
    if ! "$REPO/scripts/build-mingw-dep.sh" jansson; then record mingw FAILED "jansson for mingw did not build"; continue; fi
    if configure_build mingw64 "${peer_args[@]}" && sharpipc_wine_warm && run_ctest mingw64 && mingw_fault; then
      record mingw PASSED
    else
      record mingw FAILED
    fi
    note_interop mingw
    ;;
  fuzz)
    banner "libFuzzer (${FUZZ_SECONDS}s per target)"
    clang=$("$REPO/scripts/deps.sh" --print-fuzz-clang 2>/dev/null) || { skip_or_fail fuzz "no clang with libFuzzer"; continue; }
    if ! configure_build fuzz -DCMAKE_C_COMPILER="$clang"; then record fuzz FAILED "build"; continue; fi
    ffail=0
    fcount=0
    for f in "$REPO"/build/fuzz/bin/fuzz_*; do
      # The logs of an earlier run sit beside the targets.
      case "$f" in *.log) continue ;; esac
      [ -x "$f" ] || continue
      name=$(basename "$f")
      corpus="$REPO/build/fuzz/corpus-$name"; mkdir -p "$corpus"
      seeds="$REPO/tests/fuzz/seeds/$name"
      echo "fuzz: $name"
      (cd "$REPO/build/fuzz" && "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
          -print_final_stats=1 "$corpus" $( [ -d "$seeds" ] && echo "$seeds") >"$f.log" 2>&1) || { tail -n 60 "$f.log"; ffail=1; }
      grep -E '^(stat::number_of_executed_units|Done )' "$f.log" || true
      fcount=$((fcount + 1))
      # a target that ran no input proved nothing
      units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$f.log" | tail -n 1)
      if [ -z "$units" ] || [ "$units" -lt 1 ]; then echo "fuzz: $name executed no input"; ffail=1; fi
    done
    if [ $fcount = 0 ]; then echo "fuzz: no targets in build/fuzz/bin"; ffail=1; fi
    if [ $ffail = 0 ]; then record fuzz PASSED; else record fuzz FAILED; fi
    ;;
  format)
    banner "style (.clang-format)"
    if "$REPO/scripts/check-format.sh"; then record format PASSED; else record format FAILED; fi
    ;;
  install)
    banner "install + consumers (pkg-config, find_package)"
    if "$REPO/scripts/check-install.sh"; then record install PASSED; else record install FAILED; fi
    ;;
  *)
    echo "test.sh: unknown lane '$lane' (lanes: ${ALL_LANES[*]})" >&2; record "$lane" FAILED "unknown lane" ;;
  esac
done

banner "summary"
printf '%s\n' "${RESULTS[@]}"
echo "lanes: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
