"""The bundled decks: installed once per collection, never brought back after a deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.decks import bundled as decks_bundled
from flashcards.decks.bundled import bundled_deck_paths
from flashcards.decks.detect import parse_file
from flashcards.services import importer
from flashcards.services.bundled import INSTALLED_FLAG, install_bundled_decks_once
from flashcards.services.collection import Collection
from flashcards.storage import Card, Deck, Meta


def test_every_bundled_deck_parses_without_problems(col: Collection) -> None:
    paths = bundled_deck_paths()
    assert any(p.name == "muscle-spasms.toml" for p in paths)
    for path in paths:
        parsed = parse_file(path, None, None, True, col.clock.today())
        assert parsed.problems == ()


def test_installed_on_first_open_only(col: Collection) -> None:
    expected = sum(
        len(d.cards)
        for p in bundled_deck_paths()
        for d in parse_file(p, None, None, True, col.clock.today()).decks
    )
    assert install_bundled_decks_once(col) == ["Muscle spasms"]
    assert Card.select().count() == expected
    assert Meta.get(Meta.key == INSTALLED_FLAG).value
    assert install_bundled_decks_once(col) == []
    assert Card.select().count() == expected


def test_a_deleted_bundled_deck_stays_deleted(col: Collection) -> None:
    install_bundled_decks_once(col)
    Deck.get(Deck.name == "Muscle spasms").delete_instance()
    assert Card.select().count() == 0  # cascade
    assert install_bundled_decks_once(col) == []
    assert Deck.select().count() == 0


def test_nothing_is_flagged_when_the_install_fails(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "apply_import", boom)
    with pytest.raises(RuntimeError):
        install_bundled_decks_once(col)
    assert Meta.get_or_none(Meta.key == INSTALLED_FLAG) is None
    monkeypatch.undo()
    assert install_bundled_decks_once(col) == ["Muscle spasms"]


def test_an_unreadable_bundled_file_does_not_stop_the_rest(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[deck\n")
    good = tmp_path / "good.toml"
    good.write_text('[deck]\nname = "Good"\n\n[[cards]]\nfront = "q"\nback = "a"\n')
    monkeypatch.setattr(decks_bundled, "bundled_deck_paths", lambda: [broken, good])
    assert install_bundled_decks_once(col) == ["Good"]
