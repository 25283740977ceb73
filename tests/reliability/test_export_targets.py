"""Nothing can destroy the collection: export refuses it (by any name), its backups, and any
existing file unless --force; every exported file appears whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services import backup as bk
from flashcards.services.collection import open_collection
from flashcards.services.exporter import export_deck
from tests.conftest import add_cards
from tests.reliability.dbtools import integrity, table_checksum

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def collection(cli, db_path: Path, clock: FixedClock) -> Path:
    """A closed collection file with one deck of 30 cards (and the bundled decks, installed
    by its first command, so a later command changes nothing by itself)."""
    assert cli("--db", str(db_path), "decks").code == 0
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 30)
    col.close()
    return db_path


def _assert_intact(db_path: Path, before: str) -> None:
    assert integrity(db_path) == "ok"
    assert table_checksum(db_path) == before


def _symlink(db_path: Path, tmp_path: Path) -> Path:
    link = tmp_path / "elsewhere.toml"
    link.symlink_to(db_path)
    return link


def _hard_link(db_path: Path, tmp_path: Path) -> Path:
    other = tmp_path / "sub"
    other.mkdir()
    link = other / "same-inode.db"
    os.link(db_path, link)
    return link


@pytest.mark.parametrize(
    "name",
    ["direct", "symlink", "hard link", "relative path", "wal file"],
)
@pytest.mark.parametrize("force", [False, True])
def test_export_deck_onto_the_collection_file_is_refused_and_the_collection_intact(
    cli, collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, force: bool
) -> None:
    before = table_checksum(collection)
    size = collection.stat().st_size
    if name == "direct":
        target = str(collection)
    elif name == "symlink":
        target = str(_symlink(collection, tmp_path))
    elif name == "hard link":
        target = str(_hard_link(collection, tmp_path))
    elif name == "relative path":
        monkeypatch.chdir(tmp_path)
        target = "./" + collection.name
    else:
        target = f"{collection}-wal"
    args = ["--db", str(collection), "export", "Spanish", target, "--format", "toml"]
    result = cli(*args, *(["--force"] if force else []))
    assert result.code == 1
    assert "that is the collection itself" in result.error_line
    assert collection.stat().st_size == size
    _assert_intact(collection, before)
    assert not list(tmp_path.rglob(".*.partial"))


def test_export_into_the_backups_folder_is_refused(cli, collection: Path, clock) -> None:
    made = bk.make_backup(collection, "manual", clock=clock)
    saved = table_checksum(made)
    for target in (made, made.parent / "new.toml"):
        result = cli("--db", str(collection), "export", "Spanish", str(target), "--force")
        assert result.code == 1
        assert "backups folder" in result.error_line
    assert table_checksum(made) == saved and not (made.parent / "new.toml").exists()


def test_export_onto_a_hard_link_to_a_backup_is_refused(cli, collection, clock, tmp_path):
    made = bk.make_backup(collection, "manual", clock=clock)
    link = tmp_path / "looks-harmless.csv"
    os.link(made, link)
    result = cli("--db", str(collection), "export", "Spanish", str(link), "--force")
    assert result.code == 1 and "backups folder" in result.error_line
    assert integrity(made) == "ok"


def test_export_overwrote_any_existing_file_now_needs_force(
    cli, collection: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.toml"
    target.write_text("my own notes\n")
    result = cli("--db", str(collection), "export", "Spanish", str(target))
    assert result.code == 1
    line = result.error_line
    assert str(target) in line and "already exists" in line and "--force" in line
    assert target.read_text() == "my own notes\n"
    result = cli("--db", str(collection), "export", "Spanish", str(target), "--force")
    assert result.code == 0, result.err
    assert 'id = "q29"' in target.read_text()


@pytest.mark.parametrize("fmt", ["toml", "csv", "apkg"])
def test_a_failed_export_leaves_the_old_file_whole_and_no_partial(
    col, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    add_cards(col, "Spanish", 3)
    target = tmp_path / f"deck.{fmt}"
    target.write_bytes(b"the previous export")

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(UserError, match="No space left on device; nothing was changed"):
        export_deck(col, "Spanish", target, None, force=True)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("deck")) == [target.name]
    assert not list(tmp_path.glob(".*.partial"))


@pytest.mark.parametrize("fmt", ["toml", "csv", "apkg"])
def test_every_export_format_is_written_through_a_rename(col, tmp_path: Path, fmt: str) -> None:
    add_cards(col, "Spanish", 3)
    target = tmp_path / f"deck.{fmt}"
    assert export_deck(col, "Spanish", target, None) == 3
    assert target.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    with pytest.raises(UserError, match="already exists"):
        export_deck(col, "Spanish", target, None)
