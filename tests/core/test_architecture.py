"""The package's shape, checked where import-linter cannot look: no import cycles, and only
`storage` reaches the database the models are bound to."""

from __future__ import annotations

import re
from pathlib import Path

import grimp
import pytest

import flashcards

PACKAGE = Path(flashcards.__file__).parent
# What binds or reaches the models' database behind the caller's back: the proxy itself, a
# model's bound database, re-binding the models. Outside storage, code is handed a database.
PROXY_LEVEL = re.compile(r"_meta\.database|\bdb_proxy\b|\bDatabaseProxy\b|\.bind_ctx\(")


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Each direct import A → B for which B also leads back to A (both ends of every cycle)."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )


def test_the_package_has_no_import_cycle() -> None:
    """Imports inside functions count too: a lazy import hides a cycle, it does not remove it."""
    graph = grimp.build_graph("flashcards")
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check above can fail: a planted import back makes a cycle it reports."""
    graph = grimp.build_graph("flashcards")
    graph.add_import(importer="flashcards.scheduler", imported="flashcards.services.study")
    assert ("flashcards.scheduler", "flashcards.services.study") in _cycles(graph)


def _proxy_uses(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "storage" in path.relative_to(root).parts[:1]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PROXY_LEVEL.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_only_storage_touches_the_database_proxy() -> None:
    assert _proxy_uses(PACKAGE) == []


@pytest.mark.parametrize(
    "line",
    ["db = Card._meta.database", "from flashcards.storage import db_proxy", "with db.bind_ctx(M):"],
)
def test_the_proxy_check_finds_a_use(tmp_path: Path, line: str) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "x.py").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "y.py").write_text(line + "\n", encoding="utf-8")  # allowed there
    assert _proxy_uses(tmp_path) == [f"services/x.py:1: {line}"]
