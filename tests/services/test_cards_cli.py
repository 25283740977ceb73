"""The card commands end to end on a fresh collection (the bundled deck), through `main()`:
each bulk command changes exactly the matching cards, checked with `decks --json` and
`cards --json`. Runs on SQLite and PostgreSQL (FLASHCARDS_TEST_BACKEND=postgresql)."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest

from flashcards.cli import main

# decks/muscle-spasms.toml, read by hand: the cards tagged "treatment" (a cloze note is one card
# per deletion: five for the medications, two for what treatment depends on).
MEDICATIONS = (
    "For smooth muscle spasm, medications like {{c1::diazepam}}, {{c2::reserpine}}, "
    "{{c3::levodopa}}, {{c4::Botox}} and {{c5::carbamazepine}} may help."
)
DEPENDS = (
    "Treatment mainly depends on {{c1::the muscle affected}} and "
    "{{c2::the reason for spasm creation}}."
)
TREATMENT = Counter(
    {
        ("basic", "If a spasm happens, what should you try to do with the affected muscle?"): 1,
        (
            "cloze",
            "If the spasm happens, try to extend the affected muscle and try to break the "
            "{{c1::circle}} of the spasm.",
        ): 1,
        ("cloze", MEDICATIONS): 5,
        (
            "type",
            "Which of the medications for smooth muscle spasm is injected in the affected muscle?",
        ): 1,
        ("basic", "What does Botox eliminate when injected in the affected muscle?"): 1,
        ("basic", "What determines the treatment which will be used for a spasm?"): 1,
        ("cloze", DEPENDS): 2,
        ("basic", "Why are there numerous treatment methods for spasms?"): 1,
        ("basic", "When should medical attention be sought for spasms?"): 1,
    }
)
DYSTONIAS = 4  # the reverse card gives two, then two basic cards


class Cli:
    def __init__(self, target: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.target, self.capsys = target, capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.target, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> object:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def cards(self, query: str = "") -> list[dict]:
        return self.json("cards", query, "--limit", "0")  # type: ignore[return-value]

    def ids(self, query: str = "") -> set[int]:
        return {c["id"] for c in self.cards(query)}

    def deck(self, name: str) -> dict:
        return next(d for d in self.json("decks") if d["name"] == name)  # type: ignore[union-attr]


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_target, capsys)


def test_cards_finds_the_bundled_treatment_cards(cli: Cli) -> None:
    found = cli.cards('deck:"Muscle spasms" tag:treatment')
    assert Counter((c["type"], c["front"]) for c in found) == TREATMENT
    assert all(c["deck"] == "Muscle spasms" and c["state"] == "new" for c in found)
    code, out, _ = cli.run("cards", "tag:treatment")
    assert code == 0 and "Muscle spasms" in out.splitlines()[1]


def test_a_bad_query_is_one_line_and_exit_1(cli: Cli) -> None:
    for command in (["cards"], ["suspend"], ["delete", "--yes"]):
        code, out, err = cli.run(*command[:1], "prp:ivl>3", *command[1:])
        assert code == 1 and out == ""
        assert err == "flashcards: unknown field 'prp' at column 1\n"
    assert cli.deck("Muscle spasms")["cards"] == 47


def test_every_bulk_command_changes_exactly_the_matches(cli: Cli) -> None:
    everything = cli.ids()
    dystonias = cli.ids("tag:dystonias")
    assert len(dystonias) == DYSTONIAS and len(everything) == 47

    code, out, _ = cli.run("suspend", "tag:dystonias")
    assert (code, out) == (0, "Suspended 4 cards (4 matched).\n")
    assert cli.ids("is:suspended") == dystonias
    spasms = cli.deck("Muscle spasms")
    assert (spasms["suspended"], spasms["new"]) == (4, 43)

    assert cli.run("unsuspend", "tag:dystonias")[1] == "Unsuspended 4 cards (4 matched).\n"
    assert cli.ids("is:suspended") == set()
    assert cli.deck("Muscle spasms")["suspended"] == 0

    assert cli.run("move", "tag:dystonias", "Neuro::Dystonias")[0] == 0
    assert cli.deck("Neuro::Dystonias")["cards"] == 4 and cli.deck("Neuro")["cards"] == 4
    assert cli.deck("Muscle spasms")["cards"] == 43
    assert cli.ids("deck:Neuro") == dystonias

    assert cli.run("tag", "deck:Neuro", "+neuro", "-dystonias")[0] == 0
    assert cli.ids("tag:neuro") == dystonias and cli.ids("tag:dystonias") == set()

    assert cli.run("set-due", "deck:Neuro", "0")[1] == "Set the due date of 4 cards (4 matched).\n"
    assert cli.ids("is:due") == dystonias
    assert cli.deck("Neuro")["due"] == 4 and cli.deck("Neuro")["new"] == 0
    assert cli.run("set-due", "deck:Neuro", "3-7", "--seed", "5")[0] == 0
    assert cli.ids("is:due") == set()
    assert cli.ids("prop:due>=3 prop:due<=7") == dystonias

    assert cli.run("forget", "deck:Neuro")[1] == "Forgot 4 cards (4 matched).\n"
    assert cli.ids("is:new") == everything
    assert cli.deck("Neuro")["new"] == 4

    code, out, _ = cli.run("delete", "deck:Neuro", "--yes")
    assert code == 0 and out.endswith("Deleted 4 cards (4 matched).\n")
    assert cli.ids() == everything - dystonias
    assert cli.deck("Neuro")["cards"] == 0


@pytest.mark.parametrize(
    "command",
    [
        ["suspend"],
        ["unsuspend"],
        ["forget"],
        ["set-due", "nomatch", "1"],
        ["move", "nomatch", "Else"],
        ["tag", "nomatch", "+x"],
        ["delete", "nomatch"],
    ],
)
def test_zero_matches_say_so(cli: Cli, command: list[str]) -> None:
    args = command if len(command) > 1 else [command[0], "nomatch"]
    code, out, _ = cli.run(*args)
    assert (code, out) == (0, "No cards match 'nomatch'; nothing changed.\n")
    assert cli.ids("is:new") == cli.ids()
    assert "Else" not in {d["name"] for d in cli.json("decks")}  # type: ignore[union-attr]


def test_delete_without_yes_refuses_when_nobody_can_confirm(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = cli.run("delete", "tag:dystonias")
    assert code == 1 and out == ""
    assert "pass --yes" in err and "nothing was deleted" in err
    assert len(cli.ids("tag:dystonias")) == DYSTONIAS


def test_card_shows_one_card_and_its_history(cli: Cli) -> None:
    card_id = min(cli.ids("tag:dystonias"))
    card = cli.json("card", str(card_id))
    assert card["front"] == "Dystonias" and card["type"] == "basic"  # type: ignore[index]
    assert card["tags"] == ["dystonias"] and card["reviews"] == []  # type: ignore[index]
    code, out, _ = cli.run("card", str(card_id))
    assert code == 0 and "Front: Dystonias" in out and "No reviews yet." in out
    code, _, err = cli.run("card", "999999")
    assert code == 1 and err == "flashcards: no card with id 999999\n"


def test_tag_edits_need_a_sign(cli: Cli) -> None:
    code, _, err = cli.run("tag", "tag:dystonias", "plain")
    assert code == 1 and "+tag or -tag" in err


def test_hostile_text_is_printed_harmless(cli: Cli, clock) -> None:  # noqa: ANN001
    """A card whose front and deck hold terminal escapes prints them as visible symbols."""
    from flashcards.services.collection import open_collection
    from tests.ui.helpers import add_card

    col = open_collection(cli.target, clock=clock)
    try:
        add_card(col, "Evil\x1b]0;title\x07", "k", "front \x1b[2J zebrahere", "back")
    finally:
        col.close()
    code, out, _ = cli.run("cards", "zebrahere")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "␛[2J" in out
    card_id = cli.cards("zebrahere")[0]["id"]
    code, out, _ = cli.run("card", str(card_id))
    assert code == 0 and "\x1b" not in out and "front ␛[2J zebrahere" in out


class _Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's typing in it."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("typed", "deleted"), [("y\n", True), ("n\n", False), ("", False)])
def test_delete_asks_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, typed: str, deleted: bool
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(typed))
    code, out, _ = cli.run("delete", "tag:dystonias")
    assert "Delete 4 card(s) matching 'tag:dystonias'?" in out
    assert code == (0 if deleted else 1)
    assert len(cli.ids("tag:dystonias")) == (0 if deleted else DYSTONIAS)
