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
