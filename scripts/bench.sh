#!/usr/bin/env bash
# Builds the release preset and the .NET side of the benchmarks, then runs the named pipe
# benchmark (bench/pipe_bench.c) and prints its one table. See bench/README.md.
#
#   scripts/bench.sh [pipe_bench options]     e.g. --rounds 5, --only raw,sp, --verbose
#   scripts/bench.sh adapters [adapter_bench options]   only the adapter benchmark
#                                             (bench/adapter_bench.c), e.g. --quick, --only br.
#   scripts/bench.sh sockets [socket_bench options]     only the socket benchmark
#                                             (bench/socket_bench.c), e.g. --rounds 5, --only raw,sp
#   scripts/bench.sh rpc [rpc_bench options]  only the RPC benchmark (bench/rpc_bench.c: JSON-RPC
#                                             against StreamJsonRpc on .NET, Remoting against Mono),
#                                             e.g. --rounds 5, --only jcc,jdn
#
# The full run runs the socket benchmark after the pipes, then the RPC benchmark, and ends with
# the adapter benchmark (their defaults).
# Installs what is missing first (scripts/deps.sh --native; SHARPIPC_SKIP_DEPS=1 skips that).
# Without `dotnet` the .NET columns are skipped (and the table says so).
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
start=$SECONDS
only_adapters=false
only_sockets=false
only_rpc=false
if [ "${1:-}" = adapters ]; then
  only_adapters=true
  shift
elif [ "${1:-}" = sockets ]; then
  only_sockets=true
  shift
elif [ "${1:-}" = rpc ]; then
  only_rpc=true
  shift
fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

# Runs a build step quietly; on failure shows its output and stops.
step() {
  local what=$1
  shift
  if ! "$@" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    echo "bench: $what failed" >&2
    exit 1
  fi
}

[ "${SHARPIPC_SKIP_DEPS:-0}" = 1 ] || "$REPO/scripts/deps.sh" --native --no-check >/dev/null

echo "bench: building the release preset (build/release)"
step "cmake --preset release" cmake --preset release
step "cmake --build build/release" cmake --build build/release -j "$JOBS"

dotnet_args=()
adapter_args=()
socket_args=()
rpc_args=()
if command -v dotnet >/dev/null 2>&1; then
  if ! $only_adapters && ! $only_sockets; then
    echo "bench: building bench/dotnet/RpcBench (build/dotnet-rpcbench)"
    step "dotnet build RpcBench" dotnet build "$REPO/bench/dotnet/RpcBench/RpcBench.csproj" \
      -c Release -o "$REPO/build/dotnet-rpcbench" --nologo
    rpc_args=(--dotnet "$REPO/build/dotnet-rpcbench/RpcBench.dll")
  fi
  if $only_rpc; then
    :
  elif ! $only_adapters; then
    echo "bench: building bench/dotnet/SocketBench (build/dotnet-socketbench)"
    step "dotnet build SocketBench" dotnet build "$REPO/bench/dotnet/SocketBench/SocketBench.csproj" \
      -c Release -o "$REPO/build/dotnet-socketbench" --nologo
    socket_args=(--dotnet "$REPO/build/dotnet-socketbench/SocketBench.dll")
  fi
  if $only_sockets || $only_rpc; then
    :
  elif ! $only_adapters; then
    echo "bench: building bench/dotnet/PipeBench (build/dotnet-bench)"
    step "dotnet build PipeBench" dotnet build "$REPO/bench/dotnet/PipeBench/PipeBench.csproj" \
      -c Release -o "$REPO/build/dotnet-bench" --nologo
    dotnet_args=(--dotnet "$REPO/build/dotnet-bench/PipeBench.dll")
  fi
  if ! $only_sockets && ! $only_rpc; then
    echo "bench: building bench/dotnet/AdapterBench (build/dotnet-adapterbench)"
    step "dotnet build AdapterBench" dotnet build "$REPO/bench/dotnet/AdapterBench/AdapterBench.csproj" \
      -c Release -o "$REPO/build/dotnet-adapterbench" --nologo
    adapter_args=(--dotnet "$REPO/build/dotnet-adapterbench/AdapterBench.dll")
  fi
else
  echo "bench: dotnet (the .NET SDK) is not installed: the .NET columns are skipped" >&2
fi
if $only_adapters; then
  echo "bench: built in $((SECONDS - start)) s; running the adapter benchmark"
  echo
  "$REPO/build/release/bin/adapter_bench" "${adapter_args[@]}" "$@"
  exit
fi
if $only_rpc; then
  if [ ! -x "$REPO/build/release/bin/rpc_bench" ]; then
    echo "bench: rpc_bench was not built (no Jansson: install libjansson-dev)" >&2
    exit 1
  fi
  echo "bench: built in $((SECONDS - start)) s; running the RPC benchmark (about 4-5 minutes on 2 cores)"
  echo
  "$REPO/build/release/bin/rpc_bench" "${rpc_args[@]}" "$@"
  exit
fi
if $only_sockets; then
  echo "bench: built in $((SECONDS - start)) s; running the socket benchmark (about 3-4 minutes on 2 cores)"
  echo
  "$REPO/build/release/bin/socket_bench" "${socket_args[@]}" "$@"
  exit
fi
echo "bench: built in $((SECONDS - start)) s; running the pipe benchmark (about 100 s on 2 cores with the defaults)"
echo

"$REPO/build/release/bin/pipe_bench" "${dotnet_args[@]}" "$@"
echo
echo "bench: sockets (bench/socket_bench.c)"
"$REPO/build/release/bin/socket_bench" "${socket_args[@]}"
if [ -x "$REPO/build/release/bin/rpc_bench" ]; then
  echo
  echo "bench: RPC, JSON-RPC and Remoting (bench/rpc_bench.c)"
  "$REPO/build/release/bin/rpc_bench" "${rpc_args[@]}"
fi
echo
echo "bench: shared memory (bench/mmf_bench.c)"
"$REPO/build/release/bin/mmf_bench"
if [ -x "$REPO/build/release/bin/sync_bench" ]; then
  echo
  echo "bench: hand-off latency (bench/sync_bench.c)"
  "$REPO/build/release/bin/sync_bench"
fi
echo
echo "bench: adapter calls against .NET (bench/adapter_bench.c)"
"$REPO/build/release/bin/adapter_bench" "${adapter_args[@]}"
echo "bench: whole run (build included) took $((SECONDS - start)) s"
