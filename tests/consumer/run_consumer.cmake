# Builds and runs tests/consumer/project against dealflow.
#   MODE=find_package: install the already-built dealflow of the tree running
#   this test (BUILD_DIR, built with BUILD_TYPE) into WORK_DIR/prefix (no
#   second build of the library), then build the consumer with
#   CMAKE_PREFIX_PATH there.
#   In this mode it also compiles and links the same main.cpp as a one-file
#   program with the compiler CXX and `pkg-config --cflags --libs dealflow`
#   (PKG_CONFIG_PATH = the prefix's dealflow.pc), and runs it.
#   MODE=add_subdirectory: the consumer adds the dealflow source tree, built
#   with BUILD_TYPE, DEALFLOW_WERROR=WERROR, DEALFLOW_UNITY_LIBRARY=UNITY_LIBRARY
#   and the compiler launcher LAUNCHER of the tree under test (so ccache serves
#   the objects it already compiled).
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
  if(UNITY_LIBRARY)
    list(APPEND _consumer_args -DDEALFLOW_UNITY_LIBRARY=ON)
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

if(MODE STREQUAL "find_package")
  # The pkg-config file of the install: a host that does not use CMake.
  find_program(PKG_CONFIG_EXECUTABLE pkg-config REQUIRED)
  file(GLOB_RECURSE _pc_files ${WORK_DIR}/prefix/*/dealflow.pc)
  list(LENGTH _pc_files _pc_count)
  if(NOT _pc_count EQUAL 1)
    message(FATAL_ERROR "expected one installed dealflow.pc under ${WORK_DIR}/prefix, found: ${_pc_files}")
  endif()
  get_filename_component(_pc_dir ${_pc_files} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${_pc_dir})
  execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --cflags --libs dealflow
                  RESULT_VARIABLE rc OUTPUT_VARIABLE _pc_flags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs dealflow failed (${rc}): ${err}")
  endif()
  separate_arguments(_pc_flags UNIX_COMMAND "${_pc_flags}")
  if(NOT CXX)
    set(CXX c++)
  endif()
  # -O0: this checks flags and link order, not speed; the flags come last, as a
  # Makefile would put them, so the archives follow the object that needs them.
  run(${CXX} -std=c++20 -O0 ${SOURCE_DIR}/tests/consumer/project/main.cpp -o ${WORK_DIR}/pc-consumer ${_pc_flags})
  run(${WORK_DIR}/pc-consumer)
  message(STATUS "consumer (pkg-config) built and ran: ${_pc_flags}")
endif()
