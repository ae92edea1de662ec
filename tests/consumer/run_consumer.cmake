# Builds and runs tests/consumer/project against dealflow.
#   MODE=find_package: install the already-built dealflow of the tree running
#   this test (BUILD_DIR, built with BUILD_TYPE) into WORK_DIR/prefix (no
#   second build of the library), then build the consumer with
#   CMAKE_PREFIX_PATH there.
#   MODE=add_subdirectory: the consumer adds the dealflow source tree, built
#   with BUILD_TYPE, DEALFLOW_WERROR=WERROR and the compiler launcher LAUNCHER
#   of the tree under test (so ccache serves the objects it already compiled).
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

if(NOT BUILD_TYPE)
  set(BUILD_TYPE Debug)
endif()
set(_consumer_args -DDEALFLOW_SOURCE_DIR=${SOURCE_DIR} -DDEALFLOW_CONSUMER_MODE=${MODE} -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
if(MODE STREQUAL "add_subdirectory")
  # The same flags as the tree under test, so a compiler cache (LAUNCHER) can
  # serve the library's objects instead of compiling them a second time.
  if(WERROR)
    list(APPEND _consumer_args -DDEALFLOW_WERROR=ON)
  endif()
  if(LAUNCHER)
    list(APPEND _consumer_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
  endif()
endif()
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix --config ${BUILD_TYPE})
  list(APPEND _consumer_args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer/project -B ${WORK_DIR}/consumer-build ${_consumer_args})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build --parallel 2)
run(${WORK_DIR}/consumer-build/consumer)
message(STATUS "consumer (${MODE}) built and ran")
