"""The tests use public behaviour only: no test reaches a private attribute of Textual, of
Peewee or of the project, so a refactoring that keeps behaviour keeps the suite green, and a
Textual upgrade breaks no test through a private name it renamed.

A pragmatic AST check of every file under tests/: an attribute, an imported name or module, or
an attribute named as a string (`getattr`, `monkeypatch.setattr`) that starts with one
underscore is flagged, except
- a helper class's own attributes (`self._lock` where the class sets `self._lock` or defines
  `_lock`), and names imported from the tests' own modules (`from tests.conftest import _x`);
- namedtuple methods (`_replace`, `_asdict`, `_fields`, `_make`), public despite the underscore;
- a Peewee model's `_meta`, Peewee's documented metadata API ("Model options and table
  metadata": use `Model._meta`), but never its `_meta.database`: code is handed its database.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
PUBLIC_DESPITE_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_meta"}
NAMING_CALLS = {"getattr", "setattr", "delattr", "hasattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own_names(cls: ast.ClassDef) -> set[str]:
    """What a class defines for itself: methods and class attributes, and `self.x = ...`."""
    names = set()
    for node in ast.walk(cls):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
        ):
            names.add(node.attr)
    return names


class _PrivateUses(ast.NodeVisitor):
    """Collects `line: code` for each use of a private name that is not the tests' own."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.own: list[set[str]] = []  # the names of the helper classes being visited

    def _flag(self, node: ast.AST) -> None:
        self.found.append(f"{node.lineno}: {ast.unparse(node)}")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.own.append(_own_names(node))
        self.generic_visit(node)
        self.own.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        inner = node.value
        if node.attr == "database" and isinstance(inner, ast.Attribute) and inner.attr == "_meta":
            self._flag(node)
        elif _private(node.attr) and node.attr not in PUBLIC_DESPITE_UNDERSCORE:
            helper_own = (
                isinstance(inner, ast.Name)
                and inner.id in ("self", "cls")
                and any(node.attr in names for names in self.own)
            )
            if not helper_own:
                self._flag(node)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] != "tests" and (
            any(_private(part) for part in module.split("."))
            or any(_private(alias.name) for alias in node.names)
        ):
            self._flag(node)

    def visit_Import(self, node: ast.Import) -> None:
        if any(_private(part) for alias in node.names for part in alias.name.split(".")):
            self._flag(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        strings = [
            arg.value
            for arg in node.args[:2]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if name in NAMING_CALLS and any(
            _private(part) for text in strings for part in text.split(".")
        ):
            self._flag(node)
        self.generic_visit(node)


def private_uses(source: str) -> list[str]:
    visitor = _PrivateUses()
    visitor.visit(ast.parse(source))
    return visitor.found


def test_no_test_uses_a_private_attribute() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{use}"
        for path in sorted(TESTS.rglob("*.py"))
        for use in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "app._notifications",
        "toast._notification.message",
        "app.screen._compositor.render_update(full=True)",
        "from textual.widgets._footer import FooterKey",
        "from flashcards.decks.delimited import _plain",
        "import textual.widgets._input",
        'monkeypatch.setattr(delimited, "_plain", None)',
        'monkeypatch.setattr("flashcards.decks.delimited._plain", None)',
        'getattr(session, "_main")',
        "Card._meta.database",
        "class Helper:\n    def f(self, app):\n        return app._driver",
        "class Helper:\n    def f(self):\n        return self._driver",  # not its own
    ],
)
def test_the_check_finds_a_private_use(source: str) -> None:
    assert private_uses(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "point._replace(x=1)._asdict()",
        "Card._meta.sorted_fields",
        "from tests.conftest import _admin",
        "class Helper:\n    def __init__(self):\n        self._lock = 1\n"
        "    def f(self):\n        return self._lock",
        "class Helper:\n    def _read(self): ...\n    def f(self):\n        self._read()",
        "obj.__class__.__name__",
        'getattr(app, "screen")',
    ],
)
def test_the_check_lets_public_and_own_names_be(source: str) -> None:
    assert private_uses(source) == []
