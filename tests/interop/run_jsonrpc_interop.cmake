# StreamJsonRpc between the C side under an emulator (the mingw build under wine) and the .NET
# peer on Linux, over loopback TCP, in both roles (tests/interop/CMakeLists.txt), run as
#   cmake -DDOTNET=... -DPEER=JsonRpcPeer.dll -DPROGRAM=jsonrpc_interop.exe -DEMULATOR=wine -DDIR=... -P run_jsonrpc_interop.cmake
# Wine cannot start the Linux dotnet, so each pair runs side by side (one execute_process, its
# COMMANDs at once), the port passed through a file in DIR:
#   dotnet PEER server tcp-once DIR/netport   beside  EMULATOR PROGRAM tcp-client DIR/netport
#   dotnet PEER client tcp @DIR/cport         beside  EMULATOR PROGRAM tcp-server DIR/cport
# Both exit codes must be 0 (the peer's client exits 0 only when every one of its checks passed).
# The C-to-C calls over a Windows named pipe and TCP are tests/unit/StreamJsonRpc/test_jsonrpc.c.
foreach(var DOTNET PEER PROGRAM DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_jsonrpc_interop.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PEER}")
  message(FATAL_ERROR "run_jsonrpc_interop.cmake: no .NET StreamJsonRpc peer at ${PEER}")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")
set(failures 0)
foreach(pair "server;tcp-once;netport;-;tcp-client" "client;tcp;cport;@;tcp-server")
  list(GET pair 0 peer_role)
  list(GET pair 1 peer_transport)
  list(GET pair 2 file)
  list(GET pair 3 at)
  list(GET pair 4 c_role)
  if(at STREQUAL "-") # the server's port file is named as it is; the client's with @
    set(at "")
  endif()
  file(REMOVE_RECURSE "${DIR}")
  file(MAKE_DIRECTORY "${DIR}")
  message(STATUS "---- .NET ${peer_role} beside C ${c_role} (TCP)")
  execute_process(
    COMMAND "${DOTNET}" "${PEER}" ${peer_role} ${peer_transport} "${at}${DIR}/${file}"
    COMMAND ${emulator} "${PROGRAM}" ${c_role} "${DIR}/${file}"
    RESULTS_VARIABLE rcs
    TIMEOUT 400)
  if(NOT rcs STREQUAL "0;0")
    message(STATUS "FAIL .NET ${peer_role} / C ${c_role}: exit codes ${rcs}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "jsonrpc interop: ${failures} scenario(s) failed")
endif()
message(STATUS "jsonrpc interop: both roles ok")
