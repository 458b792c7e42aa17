# The Remoting test of the mingw build (tests/unit/CMakeLists.txt), run as
#   cmake -DMONO=... -DPEER=MyAssembly.exe -DPROGRAM=test_remoting_mono.exe -DEMULATOR=wine -DDIR=... -P run_remoting_mono.cmake
# Wine cannot start the Linux mono, so the two run side by side (one execute_process, its
# COMMANDs at once): the peer serves on a port it writes to DIR/port and ends when DIR/port.done
# appears, which the test writes when it is finished; the test reads DIR/port and calls it.
foreach(var MONO PEER PROGRAM DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_remoting_mono: FAIL: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PEER}")
  message(FATAL_ERROR "run_remoting_mono: FAIL: no Mono peer at ${PEER}")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")
file(REMOVE_RECURSE "${DIR}")
file(MAKE_DIRECTORY "${DIR}")
execute_process(
  COMMAND "${MONO}" "${PEER}" serve-until "${DIR}/port"
  COMMAND ${emulator} "${PROGRAM}" "${DIR}/port"
  RESULTS_VARIABLE rcs
  TIMEOUT 360)
# the test may have died before it wrote the file: end the peer either way
file(TOUCH "${DIR}/port.done")
if(NOT rcs STREQUAL "0;0")
  message(FATAL_ERROR "run_remoting_mono: FAIL: exit codes (mono peer; C test) ${rcs}")
endif()
