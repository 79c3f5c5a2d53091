"""The slot engine stays pure: standard library and its own modules only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import amtstermin.scheduling

PACKAGE_DIR = Path(amtstermin.scheduling.__file__).parent


def imported_top_level_names(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_every_module_imports_only_the_standard_library_and_the_engine_itself() -> None:
    modules = sorted(PACKAGE_DIR.glob("*.py"))
    assert modules
    for module in modules:
        for name in imported_top_level_names(module):
            allowed = name.split(".")[0] in sys.stdlib_module_names or name.startswith(
                "amtstermin.scheduling"
            )
            assert allowed, f"{module.name} imports {name}"
