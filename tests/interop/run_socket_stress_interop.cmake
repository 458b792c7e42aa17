# The heavy and the faulty socket cases between C and .NET (socket_stress_interop.c and
# SocketStressCases.cs), run as
#   cmake -DDOTNET=... -DPEER=... -DPROGRAM=... -DEMULATOR=... -DDIR=... -P run_socket_stress_interop.cmake
# Each pair is one execute_process (its COMMANDs run side by side), the C program last:
#   128 clients at once: .NET server / C clients, C server / .NET clients
#   100 MiB each way: .NET server / C client
#   observe MODE: a .NET server that misbehaves, seen by a .NET client and then by a C client;
#     the two views (DIR/observed) must be the same line for line (under an emulator the C side is
#     a Win32 program: there only the types and the SocketError are compared, not the Unix
#     errno and strerror texts; and wine reads a reset as the end of the stream), and .NET's view
#     must be the one the mode is about
#   child-kill MODE: a .NET server with a C child killed mid-message; both exit 0
cmake_minimum_required(VERSION 3.16)
foreach(var DOTNET PEER PROGRAM DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_socket_stress_interop.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PEER}")
  message(FATAL_ERROR "run_socket_stress_interop.cmake: no .NET peer at ${PEER}")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")
set(failures 0)

# Runs `dotnet PEER <peer args>` beside `[EMULATOR] PROGRAM <c args>` in a fresh DIR/<name> (the
# args' <dir>); sets peer_rc and c_rc. The C side's command may also be a second .NET peer (c_dotnet ON).
function(run_pair name peer_args c_args c_dotnet)
  set(_dir "${DIR}/${name}")
  file(REMOVE_RECURSE "${_dir}")
  file(MAKE_DIRECTORY "${_dir}")
  string(REPLACE "<dir>" "${_dir}" _p "${peer_args}")
  string(REPLACE "<dir>" "${_dir}" _c "${c_args}")
  if(c_dotnet)
    set(_second "${DOTNET}" "${PEER}" ${_c})
  else()
    set(_second ${emulator} "${PROGRAM}" ${_c})
  endif()
  message(STATUS "---- ${name}")
  # The C program writes <dir>/c-started first thing (socket_stress_interop.c's main). Under the
  # emulator a C side that failed with no such file never ran our code: one CI run saw wine exit 1
  # there with nothing printed. That pair runs once more, said loudly; a failure of our own code
  # (the file written) is never retried, and a second start failure fails as before.
  foreach(_attempt 1 2)
    file(REMOVE "${_dir}/c-started")
    string(TIMESTAMP _t0 "%s")
    execute_process(COMMAND "${DOTNET}" "${PEER}" ${_p} COMMAND ${_second} RESULTS_VARIABLE _rcs
                    OUTPUT_VARIABLE _out TIMEOUT 300)
    # the second program's standard output, kept for the checks of what it printed (expect_ok)
    string(REPLACE "\r" "" _out "${_out}")
    string(REGEX REPLACE "\n$" "" _shown "${_out}")
    if(NOT _shown STREQUAL "")
      string(REPLACE "\n" "\n     | " _shown "${_shown}")
      message(STATUS "     | ${_shown}")
    endif()
    string(TIMESTAMP _t1 "%s")
    math(EXPR _secs "${_t1} - ${_t0}")
    list(GET _rcs 0 peer_rc)
    list(GET _rcs 1 c_rc)
    message(STATUS "     exit codes ${peer_rc} (.NET) and ${c_rc}, ${_secs} s")
    if(c_dotnet OR NOT emulator OR c_rc STREQUAL "0" OR EXISTS "${_dir}/c-started" OR _attempt EQUAL 2)
      break()
    endif()
    message(STATUS "     the C program never started under ${emulator} (exit ${c_rc}, no ${_dir}/c-started): "
                   "an emulator failure, not the library's; running the pair once more")
    file(REMOVE_RECURSE "${_dir}")
    file(MAKE_DIRECTORY "${_dir}")
  endforeach()
  set(peer_rc "${peer_rc}" PARENT_SCOPE)
  set(c_rc "${c_rc}" PARENT_SCOPE)
  set(c_out "${_out}" PARENT_SCOPE)
endfunction()

# An exit code alone proves little (a program that returned early, an emulator's code): the C
# side must also have printed the line that says its checks ran (its "ok" line) and no FAIL.
# (A function: a macro would parse the pattern's escapes a second time.)
function(expect_ok name pattern)
  if(NOT c_out MATCHES "(^|\n)ok   ${pattern}" OR c_out MATCHES "(^|\n)FAIL")
    message(STATUS "FAIL ${name}: the C side did not print the ok line ${pattern} (or printed a FAIL)")
    math(EXPR _n "${failures} + 1")
    set(failures "${_n}" PARENT_SCOPE)
  endif()
endfunction()

macro(expect_both_zero name)
  if(NOT peer_rc STREQUAL "0" OR NOT c_rc STREQUAL "0")
    message(STATUS "FAIL ${name}: exit codes ${peer_rc} and ${c_rc}")
    math(EXPR failures "${failures} + 1")
  endif()
endmacro()

run_pair(many-net-server "tcp-many-server;<dir>" "many-client;<dir>" OFF)
expect_both_zero(many-net-server)
expect_ok(many-net-server "\\.NET TcpListener, 128 C clients")
run_pair(many-c-server "tcp-many-client;<dir>" "many-server;<dir>" OFF)
expect_both_zero(many-c-server)
expect_ok(many-c-server "C TcpListener, 128 \\.NET clients")
run_pair(bulk "tcp-bulk-server;<dir>" "bulk;<dir>" OFF)
expect_both_zero(bulk)
expect_ok(bulk "100 MiB C -> \\.NET and 100 MiB \\.NET -> C")

# What each mode is about, as .NET (and so C) must see it: SocketError 10054 ConnectionReset,
# 10060 TimedOut, 10061 ConnectionRefused.
set(expect_read-kill "^read: end after 1000 of 1048576 bytes")
set(expect_write-kill "^write: System.IO.IOException\\|System.Net.Sockets.SocketException\\|10054\\|")
set(expect_reset "^header: System.IO.IOException\\|System.Net.Sockets.SocketException\\|10054\\|")
set(expect_silent "^Socket.Receive: System.Net.Sockets.SocketException\\|-\\|10060\\|.*NetworkStream.Read: System.IO.IOException\\|System.Net.Sockets.SocketException\\|10060\\|")
set(expect_refused "^connect: System.Net.Sockets.SocketException\\|-\\|10061\\|[0-9]+\\|.*127.0.0.1:PORT")
foreach(mode read-kill write-kill reset silent refused)
  set(kills OFF)
  if(mode MATCHES "kill")
    set(kills ON)
  endif()
  run_pair(observe-${mode}-net "tcp-fault-server;<dir>;${mode}" "tcp-fault-observe;<dir>;${mode}" ON)
  if(NOT c_rc STREQUAL "0" OR (NOT kills AND NOT peer_rc STREQUAL "0"))
    message(STATUS "FAIL observe ${mode} (.NET client): exit codes ${peer_rc} and ${c_rc}")
    math(EXPR failures "${failures} + 1")
  endif()
  run_pair(observe-${mode}-c "tcp-fault-server;<dir>;${mode}" "observe;<dir>;${mode}" OFF)
  if(NOT c_rc STREQUAL "0" OR (NOT kills AND NOT peer_rc STREQUAL "0"))
    message(STATUS "FAIL observe ${mode} (C client): exit codes ${peer_rc} and ${c_rc}")
    math(EXPR failures "${failures} + 1")
  endif()
  expect_ok(observe-${mode}-c "C client of a \\.NET server \\(${mode}\\)")
  set(net_file "${DIR}/observe-${mode}-net/observed")
  set(c_file "${DIR}/observe-${mode}-c/observed")
  if(NOT EXISTS "${net_file}" OR NOT EXISTS "${c_file}")
    message(STATUS "FAIL observe ${mode}: no view written")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  file(READ "${net_file}" net_view)
  file(READ "${c_file}" c_view)
  string(REPLACE "\n" " " net_flat "${net_view}")
  message(STATUS "     .NET sees: ${net_view}")
  message(STATUS "     C sees:    ${c_view}")
  if(NOT net_flat MATCHES "${expect_${mode}}")
    message(STATUS "FAIL observe ${mode}: .NET's view is not what the mode is about (${expect_${mode}})")
    math(EXPR failures "${failures} + 1")
  endif()
  if(emulator)
    # the types and the SocketError of each line: its first three |-fields
    string(REGEX REPLACE "([^|\n]*\\|[^|\n]*\\|[^|\n]*)\\|[^\n]*" "\\1" net_view "${net_view}")
    string(REGEX REPLACE "([^|\n]*\\|[^|\n]*\\|[^|\n]*)\\|[^\n]*" "\\1" c_view "${c_view}")
  endif()
  if(emulator AND mode STREQUAL "reset" AND c_view MATCHES "^header: System.IO.EndOfStreamException")
    # As tests/unit/System.Net.Sockets/test_socket.c notes: wine hands a reset to a Win32
    # program's recv as the end of the stream. Natively the reset is compared above.
    message(STATUS "     wine: the reset reads as the end of the stream there; not compared under the emulator")
  elseif(NOT net_view STREQUAL c_view)
    message(STATUS "FAIL observe ${mode}: C's view differs from .NET's")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

foreach(mode read write)
  run_pair(child-kill-${mode} "tcp-kill-watch;<dir>;${mode}" "child-kill;<dir>;${mode}" OFF)
  expect_both_zero(child-kill-${mode})
  expect_ok(child-kill-${mode} "a C child killed mid-message \\(${mode}\\)")
endforeach()

if(failures GREATER 0)
  message(FATAL_ERROR "socket stress interop: ${failures} check(s) failed")
endif()
