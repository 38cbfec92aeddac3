"""The engines must never import Odoo: they are tested and benchmarked without it."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("crm_agent", "crm_agent_scoring", "crm_agent_hygiene")


def _engine_files():
    for addon in ADDONS:
        yield from sorted((ROOT / addon / "engine").rglob("*.py"))


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("path", list(_engine_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_does_not_import_odoo(path):
    offending = [m for m in _imported_modules(path) if m == "odoo" or m.startswith("odoo.")]
    assert not offending, f"{path} imports {offending}"


def test_detector_catches_an_odoo_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from odoo import models\nimport odoo.tools\n")
    assert list(_imported_modules(bad)) == ["odoo", "odoo.tools"]


@pytest.mark.parametrize("addon", ADDONS)
def test_engine_imports_without_odoo(addon):
    """Importing the whole engine package (every submodule) in a fresh interpreter loads no Odoo."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module('{addon}.engine')\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m == 'odoo' or m.startswith('odoo.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
