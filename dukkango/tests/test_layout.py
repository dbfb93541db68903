"""The project's layout rules, checked on its own sources (README "Layout").

Three layers, one direction: ``dukkango/`` knows nothing of Odoo, ``models/`` never imports
the simulator, only ``dukkango/client.py`` talks HTTP. No product file over 400 lines and
no function there over 60.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRODUCT = ("dukkango", "models", "wizards")


def sources(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def product_sources():
    """Product code: not the tests, not the simulator."""
    for rel, tree in sources(*PRODUCT):
        if "tests" not in rel.parts and "testing" not in rel.parts:
            yield rel, tree


def imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


@pytest.mark.parametrize(("rel", "tree"), list(product_sources()), ids=str)
def test_files_and_functions_stay_small(rel, tree):
    lines = (ROOT / rel).read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{rel} has {lines} lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60
    ]
    assert not long, f"{rel}: functions over 60 lines: {long}"


def test_the_pure_layer_knows_nothing_of_odoo():
    odoo = [(str(rel), name) for rel, tree in sources("dukkango") for name in imported(tree) if "odoo" in name]
    assert odoo == []


def test_the_runtime_never_imports_the_simulator():
    found = [(str(rel), name) for rel, tree in product_sources() for name in imported(tree) if "testing" in name]
    assert found == []


def test_only_the_client_talks_http():
    callers = {
        str(rel)
        for rel, tree in sources(*PRODUCT)
        if "testing" not in rel.parts and "tests" not in rel.parts
        for name in imported(tree)
        if name.split(".")[0] in ("requests", "urllib3", "http")
    }
    assert callers == {"dukkango/client.py"}
