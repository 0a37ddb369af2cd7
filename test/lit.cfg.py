# -*- Python -*-
# lit configuration of the quant regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quant_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%quant_src_root", config.quant_src_root))
config.substitutions.append(("%quant_obj_root", config.quant_obj_root))
# Debian's python3 runs the test-data scripts (never the compiler itself).
config.substitutions.append(("%python3", "/usr/bin/python3"))
# The C compiler that links compiled models with their drivers in tests.
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir, "clang")))
# CMake, and the flags that configure an external project like this build
# (generator, compiler, linker): test/Install.
config.substitutions.append(("%quant_cmake", config.cmake_command))
consumer_flags = ['-G "%s"' % config.cmake_generator,
                  "-DCMAKE_CXX_COMPILER=%s" % config.cmake_cxx_compiler]
if config.cmake_make_program:
    consumer_flags.append("-DCMAKE_MAKE_PROGRAM=%s" % config.cmake_make_program)
if config.llvm_use_linker:
    consumer_flags.append("-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=%s" % config.llvm_use_linker)
config.substitutions.append(("%quant_consumer_cmake_flags", " ".join(consumer_flags)))

llvm_config.use_default_substitutions()
# `not` at the start of a RUN line must be found on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.quant_tools_dir, append_path=True)

tool_dirs = [config.quant_tools_dir, config.llvm_tools_dir]
tools = ["quant-opt", "quant-run", "quant-compare", "quant-translate", "quant-npu-sim"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
