# -*- Python -*-
# lit configuration of ConvForge's FileCheck tests.

import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ConvForge"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.convforge_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%examples", os.path.join(config.convforge_src_root, "examples")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# FileCheck, not, split-file and count from the LLVM 22 packages, wherever a
# RUN line uses them.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
config.substitutions.append(("%host_cc", config.host_cc))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Tools", "Inputs")))

tool_dirs = [config.convforge_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("convforge-opt", unresolved="fatal"),
    ToolSubst("convforge-translate", unresolved="fatal"),
    ToolSubst("convforge-compile", unresolved="fatal"),
    ToolSubst("convforge-run", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
