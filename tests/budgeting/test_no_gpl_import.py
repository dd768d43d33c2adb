"""The platform never imports pabutools, which is GPL-3.0 and a test dependency only."""

import ast

from tests.conftest import REPO_ROOT

FORBIDDEN = "pabutools"


def _imports_forbidden(source: str) -> list[int]:
    """Return the lines of `source` that import pabutools, directly or by name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Call):
            # importlib.import_module("pabutools") and __import__("pabutools").
            names = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            if name not in {"import_module", "__import__"}:
                names = []
        else:
            continue
        if any(name == FORBIDDEN or name.startswith(FORBIDDEN + ".") for name in names):
            lines.append(node.lineno)
    return sorted(lines)


def test_checker_finds_imports():
    source = "\n".join(
        [
            "import pabutools",
            "import os, pabutools.rules as rules",
            "from pabutools.election import parse_pabulib",
            "importlib.import_module('pabutools.rules')",
            "__import__('pabutools')",
            "import pabulib",
            "from . import pabulib",
            "print('pabutools')",
        ]
    )
    assert _imports_forbidden(source) == [1, 2, 3, 4, 5]


def test_platform_never_imports_pabutools():
    modules = sorted((REPO_ROOT / "osallistu").rglob("*.py"))
    assert len(modules) > 20
    offending = {
        str(path.relative_to(REPO_ROOT)): lines
        for path in modules
        if (lines := _imports_forbidden(path.read_text(encoding="utf-8")))
    }
    assert offending == {}
