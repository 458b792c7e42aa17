# The socket interop test (hsock), run as
#   cmake -DDOTNET=... -DPEER=... -DPROGRAM=... -DEMULATOR=... -DDIR=... -P run_socket_interop.cmake
# For each family (v4, v6, dual) it runs the two sides at once, each pair as one execute_process
# (its COMMANDs run side by side), the C program last so that its report reaches the log:
#   dotnet PEER tcp-server DIR FAMILY  beside  [EMULATOR] PROGRAM client DIR FAMILY
#   dotnet PEER tcp-client DIR FAMILY  beside  [EMULATOR] PROGRAM server DIR FAMILY
#   dotnet PEER udp-echo DIR FAMILY    beside  [EMULATOR] PROGRAM udp DIR FAMILY     (v4, v6)
#   dotnet PEER udpclient-echo / udpclient-send  beside  PROGRAM udpclient / udpclient-echo (v4, v6)
foreach(var DOTNET PEER PROGRAM DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_socket_interop.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PEER}")
  message(FATAL_ERROR "run_socket_interop.cmake: no .NET peer at ${PEER}")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")
set(failures 0)
foreach(family v4 v6 dual)
  set(pairs "tcp-server:client" "tcp-client:server")
  if(NOT family STREQUAL "dual")
    list(APPEND pairs "udp-echo:udp" "udpclient-echo:udpclient" "udpclient-send:udpclient-echo")
  endif()
  foreach(pair IN LISTS pairs)
    string(REPLACE ":" ";" roles "${pair}")
    list(GET roles 0 peer_role)
    list(GET roles 1 c_role)
    file(REMOVE_RECURSE "${DIR}")
    file(MAKE_DIRECTORY "${DIR}")
    message(STATUS "---- .NET ${peer_role} beside C ${c_role} (${family})")
    execute_process(
      COMMAND "${DOTNET}" "${PEER}" ${peer_role} "${DIR}" ${family}
      COMMAND ${emulator} "${PROGRAM}" ${c_role} "${DIR}" ${family}
      RESULTS_VARIABLE rcs
      TIMEOUT 300)
    if(NOT rcs STREQUAL "0;0")
      message(STATUS "FAIL .NET ${peer_role} / C ${c_role} (${family}): exit codes ${rcs}")
      math(EXPR failures "${failures} + 1")
    endif()
  endforeach()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "socket interop: ${failures} scenario(s) failed")
endif()
