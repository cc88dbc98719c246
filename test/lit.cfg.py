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
# A sanitized build's runtime options (CONVFORGE_SANITIZERS in CMakeLists.txt).
if config.sanitizer_environment:
    name, value = config.sanitizer_environment.split("=", 1)
    config.environment[name] = value
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

# Unreadable files: root reads a file without read permission anyway
# (CAP_DAC_OVERRIDE). As root, the tests that need an unreadable file run the
# tools without that capability (setpriv), where the system allows it.
def find_unprivileged_prefix():
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        readable = os.path.join(directory, "readable")
        unreadable = os.path.join(directory, "unreadable")
        for path in (readable, unreadable):
            with open(path, "w") as f:
                f.write("x")
        os.chmod(unreadable, 0)
        for prefix in ([], ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]):
            try:
                works = subprocess.run(prefix + ["cat", readable], capture_output=True)
                denied = subprocess.run(prefix + ["cat", unreadable], capture_output=True)
            except OSError:
                continue
            if works.returncode == 0 and denied.returncode != 0:
                return " ".join(prefix)
    return None


unprivileged = find_unprivileged_prefix()
if unprivileged is not None:
    config.available_features.add("unreadable-files")
    config.substitutions.append(("%unprivileged", unprivileged))
