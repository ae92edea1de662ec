# dealflow_set_warnings(target): -Wall -Wextra -Wpedantic always; -Werror only
# through DEALFLOW_WERROR, which scripts/test.sh turns on and consumers never get.
function(dealflow_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  # GCC 12 at -O2 reports -Wrestrict on ordinary std::string concatenation
  # (GCC bug 105329, a false positive inside libstdc++'s char_traits); the
  # diagnostic is off for GCC 12 only, every other warning stays an error.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DEALFLOW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(DEALFLOW_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${DEALFLOW_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${DEALFLOW_SANITIZERS})
  endif()
  if(DEALFLOW_SANITIZE_THREAD)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()
