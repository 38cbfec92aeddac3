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


# The layout: an engine imports no Odoo, no addon's models, and no other addon's engine except the
# core's public engine (crm_agent.engine, not its private names); models import no engine's
# private names.
CORE_PUBLIC_ENGINE = "crm_agent.engine"


def _layout_violations(addon, path, package=None):
    """``package``: where the file stands (default: ``path`` itself, inside the repository)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # e.g. [addon, "engine", "capture"]
    package = list((package or path).relative_to(ROOT).parts[:-1])
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [alias.name for alias in node.names]
            if node.level:  # relative: resolve it against the file's package
                base = package[: len(package) - (node.level - 1)]
                full = base + (module.split(".") if module else [])
                if len(full) < 2 or full[1] != "engine":
                    problems.append(f"relative import of {'.' * node.level}{module} leaves engine/")
                    continue
                module = ".".join(full)
        elif isinstance(node, ast.Import):
            module, names = "", []
            for alias in node.names:
                problems += _absolute_problems(addon, alias.name, [])
            continue
        else:
            continue
        problems += _absolute_problems(addon, module, names)
    return problems


def _absolute_problems(addon, module, names):
    parts = module.split(".")
    if module.startswith("odoo.addons."):
        parts = parts[2:]
    if not parts or parts[0] not in ADDONS:
        return []
    target = parts[0]
    if len(parts) > 1 and parts[1] in ("models", "wizard", "controllers"):
        return [f"imports {module}"]
    if target == addon:
        return []
    if ".".join(parts[:2]) != CORE_PUBLIC_ENGINE:
        return [f"imports another addon's engine: {module}"]
    return [f"imports the private name {n} of {module}" for n in names if n.startswith("_")]


@pytest.mark.parametrize("path", list(_engine_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_respects_the_layout(path):
    addon = path.relative_to(ROOT).parts[0]
    assert _layout_violations(addon, path) == []


def _model_files():
    for addon in ADDONS:
        for folder in ("models", "wizard"):
            yield from sorted((ROOT / addon / folder).rglob("*.py"))


@pytest.mark.parametrize("path", list(_model_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_models_import_no_private_engine_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and "engine" in (node.module or "")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []


def test_layout_detector_catches_violations(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from ...models import crm_lead\n"
        "from odoo.addons.crm_agent_scoring.engine import model\n"
        "from crm_agent.engine.proposal import _private\n"
        "from crm_agent.engine.proposal import propose\n"
    )
    engine_file = ROOT / "crm_agent_hygiene" / "engine" / "capture" / "bad.py"
    problems = _layout_violations("crm_agent_hygiene", bad, package=engine_file)
    assert len(problems) == 3, problems
