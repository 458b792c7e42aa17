#!/usr/bin/env bash
# Runs one echo server and one echo client of samples/sockets (C or .NET, in any pairing) as real
# processes: the server starts on port 0, the client gets the port the server printed.
#   run_echo_pair.sh SERVER-COMMAND... -- CLIENT-COMMAND...
# The server command gets "0 1" appended (any port, one client), the client command the port.
# Prints both sides' output; exits non-zero when either side fails or the server never listens.
# Used by scripts/demo.sh and by the sample_sockets_* ctests (samples/sockets/CMakeLists.txt).
set -uo pipefail
server=() client=() seen=0
for arg in "$@"; do
  if [ "$arg" = -- ] && [ $seen = 0 ]; then seen=1; elif [ $seen = 0 ]; then server+=("$arg"); else client+=("$arg"); fi
done
if [ ${#server[@]} = 0 ] || [ ${#client[@]} = 0 ]; then
  echo "usage: run_echo_pair.sh SERVER-COMMAND... -- CLIENT-COMMAND..." >&2
  exit 2
fi
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null' EXIT
# The server's stderr is kept apart (wine writes its own diagnostics there) and shown on failure.
"${server[@]}" 0 1 >"$out" 2>"$err" &
pid=$!
# A first wine start in a new prefix can take a minute or more.
port=
for _ in $(seq 1 1800); do
  port=$(tr -d '\r' <"$out" | sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "run_echo_pair: the server did not report a port:" >&2
  cat "$out" "$err" >&2
  exit 1
fi
tr -d '\r' <"$out" | head -n 1
"${client[@]}" "$port"
client_rc=$?
server_rc=0
# The client has finished; the server ends once it has echoed that one client.
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "run_echo_pair: the server did not exit after its client" >&2
  server_rc=1
else
  wait "$pid"
  server_rc=$?
fi
pid=
tr -d '\r' <"$out" | tail -n +2
if [ $client_rc != 0 ] || [ $server_rc != 0 ]; then
  cat "$err" >&2
  echo "run_echo_pair: client exit $client_rc, server exit $server_rc" >&2
  exit 1
fi
