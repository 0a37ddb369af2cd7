#===- cmake/QuantInstall.cmake - install rules and the Quant package -----===#
#
# Included by the top-level CMakeLists.txt after lib/ and tools/, so that
# every library and tool target exists. `cmake --install build --prefix P`
# then gives
#
#   P/bin/                 quant-opt quant-translate quant-run quant-compare
#   P/lib/                 libQC*.a (add_mlir_library installs them itself)
#   P/include/qc/          public headers, .td files, generated .inc files,
#                          runtime headers (runtime/CMakeLists.txt)
#   P/lib/cmake/quant/     QuantConfig.cmake, QuantConfigVersion.cmake,
#                          QuantTargets*.cmake (imported targets Quant::*)
#
# A consumer does find_package(Quant CONFIG) and links Quant::QCPipelines
# etc. (docs/embedding.md).
#
# The export set: add_mlir_library (AddMLIR.cmake, add_mlir_library_install)
# installs each library with EXPORT MLIRTargets and records it in the global
# property MLIR_EXPORTS. We install that set under our own file name and
# namespace, so a library added with add_mlir_library anywhere in lib/ is
# exported with no change here. The runtime joins it (QC_EXPORT_SET).
#
#===----------------------------------------------------------------------===#
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(QC_INSTALL_PACKAGEDIR "${QC_INSTALL_LIBDIR}/cmake/quant")

# The libraries of the export set, i.e. ours (upstream MLIR is imported).
set(QC_EXPORTED_LIBRARIES QCRuntime QCReference QCNpuSim)
get_property(qc_mlir_exports GLOBAL PROPERTY MLIR_EXPORTS)
foreach(lib ${qc_mlir_exports})
  if(TARGET ${lib})
    get_target_property(qc_imported ${lib} IMPORTED)
    if(NOT qc_imported)
      list(APPEND QC_EXPORTED_LIBRARIES ${lib})
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES QC_EXPORTED_LIBRARIES)

# add_mlir_library targets get their include directories from the
# directory (include_directories), which is not exported: give the installed
# targets the installed include directory (the runtime sets its own). C++17
# is what MLIR 22 needs.
set(QC_EXPORTED_MLIR_LIBRARIES ${QC_EXPORTED_LIBRARIES})
list(REMOVE_ITEM QC_EXPORTED_MLIR_LIBRARIES QCRuntime QCReference QCNpuSim)
foreach(lib ${QC_EXPORTED_MLIR_LIBRARIES})
  target_include_directories(${lib} INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${lib} INTERFACE cxx_std_17)
endforeach()

# Tools. add_llvm_executable does not install; its install RPATH is only
# $ORIGIN/../lib, and Debian's libMLIR.so is not on the loader path.
set(QC_INSTALLED_TOOLS quant-opt quant-translate quant-run quant-compare quant-npu-sim)
foreach(tool ${QC_INSTALLED_TOOLS})
  set_property(TARGET ${tool} APPEND PROPERTY INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
endforeach()
install(TARGETS ${QC_INSTALLED_TOOLS}
  EXPORT ${QC_EXPORT_SET}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT quant-tools)

# Public headers: sources (.h, and .td for downstream TableGen) and the
# generated .inc files from the build tree. Runtime headers are installed by
# runtime/CMakeLists.txt.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/qc
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT quant-headers
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/qc
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT quant-headers
  FILES_MATCHING PATTERN "*.inc"
  PATTERN "CMakeFiles" EXCLUDE)

# The package.
install(EXPORT ${QC_EXPORT_SET}
  NAMESPACE Quant::
  FILE QuantTargets.cmake
  DESTINATION ${QC_INSTALL_PACKAGEDIR}
  COMPONENT quant-cmake-exports)

list(TRANSFORM QC_EXPORTED_LIBRARIES PREPEND "Quant::"
  OUTPUT_VARIABLE QC_PACKAGE_LIBRARIES)
list(TRANSFORM QC_EXPORTED_MLIR_LIBRARIES PREPEND "Quant::"
  OUTPUT_VARIABLE QC_PACKAGE_MLIR_LIBRARIES)
string(REPLACE ";" " " QC_PACKAGE_MLIR_LIBRARIES "${QC_PACKAGE_MLIR_LIBRARIES}")
list(TRANSFORM QC_INSTALLED_TOOLS PREPEND "Quant::"
  OUTPUT_VARIABLE QC_PACKAGE_TOOLS)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/QuantConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/quant/QuantConfig.cmake
  INSTALL_DESTINATION ${QC_INSTALL_PACKAGEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x: minor versions may break the API.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/quant/QuantConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/quant/QuantConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/quant/QuantConfigVersion.cmake
  DESTINATION ${QC_INSTALL_PACKAGEDIR}
  COMPONENT quant-cmake-exports)
