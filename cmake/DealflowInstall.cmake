include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dealflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS dealflow ${DEALFLOW_MODULE_TARGETS}
        EXPORT dealflowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT dealflowTargets NAMESPACE dealflow::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dealflow)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dealflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/dealflowConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dealflow)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dealflowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dealflowConfig.cmake ${PROJECT_BINARY_DIR}/dealflowConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dealflow)
if(DEALFLOW_BUILD_TOOLS)
  install(TARGETS dealflow_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# pkg-config (dealflow.pc): every module archive, dependents first (the reverse
# of the order the modules are declared in, where each depends only on earlier
# ones), then the system libraries; Eigen, nlohmann_json and simdjson through
# their own .pc files (Debian ships them). Boost is header-only here and in
# /usr/include. The prefix is relative to the installed file.
set(_dealflow_pc_modules ${DEALFLOW_MODULE_TARGETS})
list(REVERSE _dealflow_pc_modules)
set(DEALFLOW_PC_LIBS "")
foreach(_target IN LISTS _dealflow_pc_modules)
  string(APPEND DEALFLOW_PC_LIBS " -l${_target}")
endforeach()
string(STRIP "${DEALFLOW_PC_LIBS}" DEALFLOW_PC_LIBS)
file(RELATIVE_PATH DEALFLOW_PC_RELATIVE_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" DEALFLOW_PC_RELATIVE_PREFIX "${DEALFLOW_PC_RELATIVE_PREFIX}")  # "../.."
configure_file(${PROJECT_SOURCE_DIR}/cmake/dealflow.pc.in ${PROJECT_BINARY_DIR}/dealflow.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dealflow.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
