# The socket interop test (hsock), run as
#   cmake -DDOTNET=... -DPEER=... -DPROGRAM=... -DEMULATOR=... -DDIR=... -P run_socket_interop.cmake
# For each family (v4, v6, dual) it runs the two sides at once, each pair as one execute_process
# (its COMMANDs run side by side), the C program last so that its report reaches the log:
#   dotnet PEER tcp-server DIR FAMILY  beside  [EMULATOR] PROGRAM client DIR FAMILY
#   dotnet PEER tcp-client DIR FAMILY  beside  [EMULATOR] PROGRAM server DIR FAMILY
#   dotnet PEER udp-echo DIR FAMILY    beside  [EMULATOR] PROGRAM udp DIR FAMILY     (v4, v6)
#   dotnet PEER udpclient-echo / udpclient-send  beside  PROGRAM udpclient / udpclient-echo (v4, v6)
# A pair passes when both exit 0 and both report the same count each way for the family.
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
      OUTPUT_VARIABLE c_out
      ERROR_VARIABLE errors
      TIMEOUT 300)
    string(REPLACE "\r" "" c_out "${c_out}")
    message("${errors}${c_out}")
    if(NOT rcs STREQUAL "0;0")
      message(STATUS "FAIL .NET ${peer_role} / C ${c_role} (${family}): exit codes ${rcs}")
      math(EXPR failures "${failures} + 1")
      continue()
    endif()
    # Exit codes alone are not trusted (under wine a program can end with 0 before it ran): the C
    # side's stdout must hold its "ok" line for this family, counting as many records or datagrams
    # each way as the .NET side's line on stderr (SocketCases.cs, UdpClientCases.cs) does.
    set(count_re "\\(${family}\\)[^\n]* ([0-9]+) (records|datagrams) each way")
    set(c_count "")
    set(net_count "")
    if(c_out MATCHES "(^|\n)ok   [^\n]*${count_re}")
      set(c_count "${CMAKE_MATCH_2} ${CMAKE_MATCH_3}")
    endif()
    if(errors MATCHES "(^|\n)\\.NET [^\n]*${count_re}")
      set(net_count "${CMAKE_MATCH_2} ${CMAKE_MATCH_3}")
    endif()
    if(c_count STREQUAL "" OR NOT c_count STREQUAL net_count)
      message(STATUS "FAIL .NET ${peer_role} / C ${c_role} (${family}): both exited 0, but C reported "
                     "\"${c_count}\" each way and .NET \"${net_count}\"")
      math(EXPR failures "${failures} + 1")
    endif()
  endforeach()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "socket interop: ${failures} scenario(s) failed")
endif()
