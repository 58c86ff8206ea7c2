"""Imports point inward: cli -> services -> adapters -> core, never back.

The pure core does no I/O, so it may not import network, file-format or
process libraries either. Each outside library has one home module (ruff's
banned-api rule enforces that too; this test also covers the layering).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "refman"

CORE = (
    "refman.model",
    "refman.errors",
    "refman.parsing",
    "refman.matching",
    "refman.crossref_csl",
    "refman.audit",
    "refman.keys",
    "refman.dedup",
    "refman.markup",
)
SERVICES = ("refman.services",)
CLI = ("refman.cli", "refman.__main__")
IO_LIBRARIES = (
    "requests",
    "habanero",
    "httpx",
    "httpx2",
    "bibtexparser",
    "pypandoc",
    "subprocess",
    "sqlite3",
    "socket",
    "urllib.request",
    "typer",
    "rich",
    "refman.sources",
    "refman.services",
    "refman.cli",
    "refman.library",
    "refman.bibtex",
    "refman.render",
    "refman.config",
)
# The parser loads its shipped model file once; that read is its only I/O.
ALLOWED_CORE_EXCEPTIONS = {"refman.parsing.crf": {"pycrfsuite"}}
HOMES = {
    "habanero": "refman.sources.crossref",
    "bibtexparser": "refman.bibtex",
    "pypandoc": "refman.render",
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), [m for m in MODULES if _within(m[0], CORE)])
def test_core_is_pure(module: str, path: Path) -> None:
    allowed = ALLOWED_CORE_EXCEPTIONS.get(module, set())
    bad = {i for i in _imports(path) if _within(i, IO_LIBRARIES) and i not in allowed}
    assert not bad, f"{module} is core but imports {sorted(bad)}"


@pytest.mark.parametrize(("module", "path"), [m for m in MODULES if not _within(m[0], CLI)])
def test_nothing_below_the_cli_imports_it(module: str, path: Path) -> None:
    assert not {i for i in _imports(path) if _within(i, CLI)}, f"{module} imports the CLI"


@pytest.mark.parametrize(
    ("module", "path"), [m for m in MODULES if not _within(m[0], CLI + SERVICES)]
)
def test_adapters_do_not_import_services(module: str, path: Path) -> None:
    assert not {i for i in _imports(path) if _within(i, SERVICES)}, f"{module} imports services"


@pytest.mark.parametrize(("library", "home"), HOMES.items())
def test_each_outside_library_has_one_home(library: str, home: str) -> None:
    importers = {
        name for name, path in MODULES if any(_within(i, (library,)) for i in _imports(path))
    }
    assert importers <= {home}, f"{library} imported outside {home}: {sorted(importers - {home})}"
