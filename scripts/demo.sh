#!/usr/bin/env bash
# Builds sharpipc and its samples, then runs each sample as real processes talking to each other
# (C to C, C to .NET, .NET to C, C to Mono) and prints what they exchange.
# Installs what is missing first (scripts/deps.sh --native; SHARPIPC_SKIP_DEPS=1 skips that).
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

[ "${SHARPIPC_SKIP_DEPS:-0}" = 1 ] || "$REPO/scripts/deps.sh" --native --no-check
echo "demo: building sharpipc and the samples"
cmake -S "$REPO" -B "$REPO/build/demo" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$REPO/build/demo" -j "$JOBS" >/dev/null
BIN="$REPO/build/demo/bin"

have_dotnet=0
if command -v dotnet >/dev/null 2>&1; then
  echo "demo: building the .NET samples"
  for proj in "$REPO"/samples/dotnet/*/; do
    name=$(basename "$proj")
    dotnet build "$proj" -c Release -o "$REPO/build/dotnet-samples/$name" --nologo -v quiet >/dev/null
  done
  have_dotnet=1
else
  echo "demo: dotnet (the .NET SDK) is not installed: only the C-to-C exchanges run." >&2
fi
dn() { dotnet "$REPO/build/dotnet-samples/$1/$1.dll" "${@:2}"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo
echo "== records: BinaryWriter/BinaryReader through a file (samples/records) =="
"$BIN/records" write "$WORK/from-c.bin"
"$BIN/records" read "$WORK/from-c.bin"
if [ $have_dotnet = 1 ]; then
  dn Records read "$WORK/from-c.bin"
  dn Records write "$WORK/from-dotnet.bin"
  "$BIN/records" read "$WORK/from-dotnet.bin"
fi

# Runs a server in the background and a client in the foreground, and waits for both.
pair() { # server-command... -- client-command...
  local server=() client=() seen=0 arg
  for arg in "$@"; do
    if [ "$arg" = -- ]; then seen=1; elif [ $seen = 0 ]; then server+=("$arg"); else client+=("$arg"); fi
  done
  "${server[@]}" & local pid=$!
  "${client[@]}"
  wait "$pid"
}
PIPE="sharpipc_demo_$$"
echo
echo "== pipes: the seed's server and client (samples/pipes) =="
echo "-- C server, C client"
pair "$BIN/pipe_server" "$PIPE" -- "$BIN/pipe_client" "$PIPE"
if [ $have_dotnet = 1 ]; then
  echo "-- .NET server, C client"
  pair dn PipeServer "$PIPE" -- "$BIN/pipe_client" "$PIPE"
  echo "-- C server, .NET client"
  pair "$BIN/pipe_server" "$PIPE" -- dn PipeClient "$PIPE"
fi
MAP="sharpipc_demo_map_$$"
echo
echo "== shared memory: the seed's MemoryMappedFile example (samples/shm) =="
echo "-- C writer, C reader (the named map is /dev/shm/$MAP on Linux)"
pair "$BIN/shm_writer" "$MAP" -- "$BIN/shm_reader" "$MAP"
if [ $have_dotnet = 1 ]; then
  echo "-- C writer, .NET reader (CreateFromFile(\"/dev/shm/$MAP\"))"
  pair "$BIN/shm_writer" "$MAP" -- dn ShmReader "$MAP"
fi
echo
echo "== sockets: the seed's Socket line grown into an echo server and client (samples/sockets) =="
echo "   (TCP on 127.0.0.1; the server takes any free port and the client is given it)"
ECHO_PAIR="$REPO/samples/sockets/run_echo_pair.sh"
echo "-- C server, C client"
"$ECHO_PAIR" "$BIN/socket_echo_server" -- "$BIN/socket_echo_client"
if [ $have_dotnet = 1 ]; then
  echo "-- .NET server, C client"
  "$ECHO_PAIR" dotnet "$REPO/build/dotnet-samples/SocketEchoServer/SocketEchoServer.dll" -- "$BIN/socket_echo_client"
  echo "-- C server, .NET client"
  "$ECHO_PAIR" "$BIN/socket_echo_server" -- dotnet "$REPO/build/dotnet-samples/SocketEchoClient/SocketEchoClient.dll"
fi
echo
echo "== RPC: the seed's .NET Remoting lines, and JSON-RPC (samples/rpc) =="
MONO_SERVER="$REPO/build/demo/samples/rpc/mono/MyAssembly.exe"
if command -v mono >/dev/null 2>&1 && [ -f "$MONO_SERVER" ]; then
  echo "-- Mono Remoting server (samples/mono/MyRemoteObjectServer.cs), the seed's C client:"
  echo "   Activator_GetObject(MyRemoteObject_TypeName, \"tcp://localhost:PORT/MyRemoteObjectName\"); MyMethod()"
  "$ECHO_PAIR" mono "$MONO_SERVER" -- "$BIN/remoting_client"
else
  echo "demo: mono/mcs (scripts/deps.sh installs mono-complete) missing: the Remoting sample is skipped." >&2
fi
if [ -x "$BIN/jsonrpc_server" ]; then
  echo "-- JSON-RPC over TCP: C server, C client"
  "$ECHO_PAIR" "$BIN/jsonrpc_server" -- "$BIN/jsonrpc_client"
  if [ $have_dotnet = 1 ]; then
    echo "-- JSON-RPC: .NET server (StreamJsonRpc), C client"
    "$ECHO_PAIR" dotnet "$REPO/build/dotnet-samples/JsonRpcServer/JsonRpcServer.dll" -- "$BIN/jsonrpc_client"
    echo "-- JSON-RPC: C server, .NET client (StreamJsonRpc)"
    "$ECHO_PAIR" "$BIN/jsonrpc_server" -- dotnet "$REPO/build/dotnet-samples/JsonRpcClient/JsonRpcClient.dll"
  fi
else
  echo "demo: no StreamJsonRpc in this build (libjansson-dev missing): the JSON-RPC samples are skipped." >&2
fi
echo
echo "demo: done"
