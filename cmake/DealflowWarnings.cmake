# dealflow_set_warnings(target): -Wall -Wextra -Wpedantic always; -Werror only
# through DEALFLOW_WERROR, which scripts/test.sh turns on and consumers never get.
function(dealflow_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(DEALFLOW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(DEALFLOW_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
