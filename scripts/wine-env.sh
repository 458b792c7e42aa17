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
# It then starts a wineserver that stays SHARPIPC_WINESERVER_LINGER seconds
# (default 60; 0 = don't start one) after the last wine process exits: a program
# started while a wineserver runs takes ~0.03 s instead of ~0.8 s. `wineserver -k`
# stops it.
#
# Defines sharpipc_wine_prefix (create the prefix now; returns non-zero on
# failure) and sharpipc_wine_stop (stop the wineserver and the wine programs left).
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
    echo "wine-env: creating wine prefix $WINEPREFIX (once, ~20 s)" >&2
    start=$(date +%s)
    # A half-made prefix (interrupted earlier) is made again from scratch.
    if [ -d "$WINEPREFIX" ] && [ ! -f "$WINEPREFIX/system.reg" ]; then rm -rf "$WINEPREFIX"; fi
    if [ ! -d "$WINEPREFIX" ]; then export WINEARCH=win64; fi
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
    echo "created by scripts/wine-env.sh in $(( $(date +%s) - start )) s" > "$WINEPREFIX/.sharpipc-ready"
    echo "wine-env: wine prefix ready in $(( $(date +%s) - start )) s" >&2
  )
}

sharpipc_wine_stop() {
  _sp_wineserver -k >/dev/null 2>&1 || true
}

if sharpipc_wine_prefix; then
  if [ "${SHARPIPC_WINESERVER_LINGER:-60}" != 0 ]; then
    _sp_wineserver -p"${SHARPIPC_WINESERVER_LINGER:-60}" >/dev/null 2>&1 </dev/null || true
  fi
else
  echo "wine-env: the wine prefix is not usable; wine programs may fail" >&2
fi
