# One interop test, run as  cmake -DDOTNET=... -DPEER=... -DPROGRAM=... -DEMULATOR=... -DLANE=binary|text
#                                -DDIR=... -P run_interop.cmake
#   1. dotnet PEER LANE-write DIR      (.NET writes its bytes and the manifests)
#   2. [EMULATOR] PROGRAM LANE DIR     (C checks .NET's bytes, writes its own)
#   3. dotnet PEER LANE-verify DIR     (.NET checks C's bytes)
# All three run, in order; any failure fails the test (step 3 still runs after a step-2 failure, so
# both sides' findings are printed).
foreach(var DOTNET PEER PROGRAM LANE DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_interop.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT LANE MATCHES "^(binary|text)$")
  message(FATAL_ERROR "run_interop.cmake: LANE must be binary or text, not '${LANE}'")
endif()
if(NOT EXISTS "${PEER}")
  message(FATAL_ERROR "run_interop.cmake: interop step failed: no .NET peer at ${PEER} "
                      "(dotnet build tests/dotnet/Peer -c Release -o build/dotnet-peer)")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")

file(REMOVE_RECURSE "${DIR}")
file(MAKE_DIRECTORY "${DIR}")

set(failed "")
macro(step name)
  message(STATUS "---- ${name}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc STREQUAL "0")
    message("interop step failed: ${name} (exit ${rc})")
    list(APPEND failed "${name}")
  endif()
endmacro()

step("${LANE}-write" "${DOTNET}" "${PEER}" "${LANE}-write" "${DIR}")
if(failed)
  message(FATAL_ERROR "interop step failed: the .NET peer could not write the cases")
endif()
step("C ${LANE}" ${emulator} "${PROGRAM}" "${LANE}" "${DIR}")
step("${LANE}-verify" "${DOTNET}" "${PEER}" "${LANE}-verify" "${DIR}")
if(failed)
  message(FATAL_ERROR "interop step failed: ${failed}")
endif()
