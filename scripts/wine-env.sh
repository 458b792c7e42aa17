# shellcheck shell=bash
# Source this file (bash) to run Windows test programs under wine, headless:
#
#   . scripts/wine-env.sh && "$SHARPIPC_WINE" build-mingw/bin/test_x.exe
#
# It exports
#   WINEPREFIX        <repo>/.deps/wineprefix unless WINEPREFIX is already set
#   WINEDEBUG         -all unless already set (also silences Debian's wine32 hint)
#   WINEDLLOVERRIDES  mscoree,mshtml= (no Mono/Gecko install prompts) and
#                     winemenubuilder.exe=d (no menu entries in $HOME), kept after
#                     whatever it held before
#   SHARPIPC_WINE     the wine loader to run 64-bit programs with
# and creates the 64-bit prefix once (about 15-20 s), with DISPLAY unset and the
# prefix's graphics driver set to "null", so no window ever opens and nothing
# waits for an X server. Concurrent first uses are serialised with flock.
#
# It then starts a wineserver and wine's background processes detached from the
# caller's stdio (see sharpipc_wine_warm below); the wineserver stays
# SHARPIPC_WINESERVER_LINGER seconds (default 600; 0 = don't) after the last wine
# program ends. A program started then takes ~0.03 s instead of ~0.8 s, and a
# ctest test ~0.05 s instead of ~3.3 s.
#
# Defines sharpipc_wine_prefix (create the prefix now; non-zero on failure),
# sharpipc_wine_warm (run it again right before ctest) and sharpipc_wine_stop
# (wineserver -k: ends the wineserver and the wine programs left).
# Safe under `set -euo pipefail`; it never exits the sourcing shell.

_sp_wine_repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)

export WINEPREFIX="${WINEPREFIX:-$_sp_wine_repo/.deps/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
case ";${WINEDLLOVERRIDES:-};" in
  *";mscoree,mshtml=;winemenubuilder.exe=d;"*) ;;
  *) export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:+$WINEDLLOVERRIDES;}mscoree,mshtml=;winemenubuilder.exe=d" ;;
esac

# The 64-bit loader. Debian's /usr/bin/wine is a wrapper that prefers wine32 and falls
# back to /usr/lib/wine/wine64; elsewhere wine64 is on PATH.
if [ -z "${SHARPIPC_WINE:-}" ]; then
  if command -v wine64 >/dev/null 2>&1; then
    SHARPIPC_WINE=$(command -v wine64)
  elif [ -x /usr/lib/wine/wine64 ]; then
    SHARPIPC_WINE=/usr/lib/wine/wine64
  else
    SHARPIPC_WINE=$(command -v wine 2>/dev/null || echo wine)
  fi
fi
export SHARPIPC_WINE

_sp_wineserver() {
  if command -v wineserver >/dev/null 2>&1; then wineserver "$@"
  elif [ -x /usr/lib/wine/wineserver64 ]; then /usr/lib/wine/wineserver64 "$@"
  else return 127; fi
}

sharpipc_wine_prefix() {
  [ -f "$WINEPREFIX/.sharpipc-ready" ] && return 0
  if ! command -v "$SHARPIPC_WINE" >/dev/null 2>&1; then
    echo "wine-env: no wine found (run scripts/deps.sh)" >&2
    return 1
  fi
  mkdir -p "$(dirname -- "$WINEPREFIX")" || return 1
  (
    # One creator at a time; the others wait here and then find the stamp.
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$WINEPREFIX.lock" && flock 9
    fi
    [ -f "$WINEPREFIX/.sharpipc-ready" ] && exit 0
    unset DISPLAY WAYLAND_DISPLAY
    log="$WINEPREFIX.log"
    start=$(date +%s)
    # A half-made prefix (interrupted earlier) is made again from scratch.
    if [ -f "$WINEPREFIX/.sharpipc-creating" ]; then
      _sp_wineserver -k >/dev/null 2>&1 || true
      rm -rf "$WINEPREFIX"
    fi
    if [ -f "$WINEPREFIX/system.reg" ]; then
      # Someone else's prefix: use it as it is.
      echo "wine-env: using the existing wine prefix $WINEPREFIX" >&2
      echo "adopted by scripts/wine-env.sh" > "$WINEPREFIX/.sharpipc-ready"
      exit 0
    fi
    echo "wine-env: creating wine prefix $WINEPREFIX (once, ~20 s)" >&2
    export WINEARCH=win64
    mkdir -p "$WINEPREFIX" && : > "$WINEPREFIX/.sharpipc-creating" || exit 1
    rc=0
    {
      timeout 600 "$SHARPIPC_WINE" wineboot -i </dev/null &&
      timeout 120 "$SHARPIPC_WINE" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null &&
      timeout 120 "$SHARPIPC_WINE" reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f </dev/null &&
      _sp_wineserver -w
    } >"$log" 2>&1 || rc=$?
    if [ $rc -ne 0 ]; then
      echo "wine-env: creating the wine prefix failed (exit $rc); log: $log" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    rm -f "$WINEPREFIX/.sharpipc-creating"
    echo "created by scripts/wine-env.sh in $(( $(date +%s) - start )) s" > "$WINEPREFIX/.sharpipc-ready"
    echo "wine-env: wine prefix ready in $(( $(date +%s) - start )) s" >&2
  )
}

# Starts a wineserver that stays $SHARPIPC_WINESERVER_LINGER s after the last wine
# program ends, and wine's own background processes (services.exe, explorer.exe,
# winedevice.exe, ...) with /dev/null as their stdio. Why it matters: wine starts
# those processes with the first program of a fresh wineserver, and they inherit
# that program's stdout/stderr. Under ctest (which waits for the end of the output
# pipe) a test that starts the wineserver therefore lasts until the wineserver
# quits: 3 s more for each such test, or the whole linger. Call it right before
# ctest when time has passed since this file was sourced.
sharpipc_wine_warm() {
  local linger=${SHARPIPC_WINESERVER_LINGER:-600}
  [ "$linger" = 0 ] && return 0
  # Exit code 2: a wineserver runs already (its own linger can't be changed).
  _sp_wineserver -p"$linger" </dev/null >/dev/null 2>&1 || true
  "$SHARPIPC_WINE" cmd /c exit 0 </dev/null >/dev/null 2>&1 || true
}

sharpipc_wine_stop() {
  _sp_wineserver -k >/dev/null 2>&1 || true
}

if sharpipc_wine_prefix; then
  sharpipc_wine_warm
else
  echo "wine-env: the wine prefix is not usable; wine programs may fail" >&2
fi
