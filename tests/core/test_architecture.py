"""The package's shape, checked where import-linter cannot look: no import cycles, only
`storage` reaches the database the models are bound to, and every service and statistics
function binds the collection it is handed."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import grimp
import pytest

import flashcards
from flashcards.services.collection import Collection

PACKAGE = Path(flashcards.__file__).parent
# What binds or reaches the models' database behind the caller's back: the proxy itself, a
# model's metadata (where its database hangs), re-binding the models. Outside storage, code is
# handed a database. Read from the syntax tree, so a line break, a space before the dot or a
# `getattr(Card, "_meta")` does not hide a use; the names are also looked for in strings.
PROXY_NAMES = {
    "_meta",
    "db_proxy",
    "models_database",
    "DatabaseProxy",
    "BoundDatabaseProxy",
    "Proxy",
    "bind_ctx",
}
PROXY_LEVEL = re.compile(r"\b(" + "|".join(sorted(PROXY_NAMES)) + r")\b")


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


def _proxy_names(node: ast.AST) -> str | None:
    """The proxy-level name `node` uses (an attribute, a name, an import, a string), if any."""
    if isinstance(node, ast.Attribute) and node.attr in PROXY_NAMES:
        return node.attr
    if isinstance(node, ast.Name) and node.id in PROXY_NAMES:
        return node.id
    if isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in PROXY_NAMES:
        return node.name
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        match = PROXY_LEVEL.search(node.value)
        return match.group(0) if match else None
    return None


def _proxy_uses(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "storage" in path.relative_to(root).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            name = _proxy_names(node)
            if name is not None:
                line = lines[node.lineno - 1].strip() if hasattr(node, "lineno") else name
                found.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}: {line}")
    return sorted(set(found))


def test_only_storage_touches_the_database_proxy() -> None:
    assert _proxy_uses(PACKAGE) == []


@pytest.mark.parametrize(
    "line",
    [
        "db = Card._meta.database",
        "db = (Card._meta\n  .database)",
        "db = Card. _meta .database",
        'db = getattr(getattr(Card, "_meta"), "database")',
        "from flashcards.storage import db_proxy",
        "from flashcards.storage.models import models_database as somewhere",
        "import flashcards.storage.binding.models_database",
        "with db.bind_ctx(M): pass",
        "Card.bind_ctx(db)",
    ],
)
def test_the_proxy_check_finds_a_use(tmp_path: Path, line: str) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "x.py").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "y.py").write_text(line + "\n", encoding="utf-8")  # allowed there
    first = line.splitlines()[0].strip()
    assert [use.split(": ", 1) for use in _proxy_uses(tmp_path)] == [["services/x.py:1", first]]


def _unbound_services() -> list[str]:
    """Public functions of services/ and stats/ handed a collection (or database) as their
    first argument that do not bind it (`@runs_on_collection`)."""
    handed = {"Collection", "OpenCollection", "Database"}
    missing = []
    for package in ("flashcards.services", "flashcards.stats"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            for name, func in vars(module).items():
                if name.startswith("_") or not inspect.isfunction(func):
                    continue
                if func.__module__ != module.__name__:
                    continue
                if inspect.isgeneratorfunction(getattr(func, "__wrapped__", None)):
                    continue  # a @contextmanager: it runs inside its caller's bound block
                params = list(inspect.signature(func).parameters.values())
                annotation = str(params[0].annotation) if params else ""
                if annotation in handed and not getattr(func, "runs_on_collection", False):
                    missing.append(f"{module.__name__}.{name}")
    return missing


def test_every_service_binds_the_collection_it_is_handed() -> None:
    assert _unbound_services() == []


def test_the_binding_check_finds_an_unbound_service(monkeypatch: pytest.MonkeyPatch) -> None:
    from flashcards.services import decks

    def planted(col: Collection) -> int:  # noqa: ARG001
        return 0

    planted.__module__ = decks.__name__
    monkeypatch.setattr(decks, "planted", planted, raising=False)
    assert _unbound_services() == ["flashcards.services.decks.planted"]
