"""`flashcards stats`: JSON for scripts, rich tables and charts for people, one-line errors."""

from __future__ import annotations

import datetime as dt
import json

from flashcards.cli import main
from flashcards.services.collection import open_collection
from tests.stats.history import card, log


def _collection(db_target):
    """A collection with reviews on the last three days (the CLI uses the real clock)."""
    with open_collection(db_target) as col:
        today = col.clock.today()
        c = card(col, "Lang", due=today, repetitions=2, interval=6)
        card(col, "Lang::Verbs")
        for d in range(3):
            log(c, today - dt.timedelta(days=d), 4, reps=2, interval=6, seconds=6)
        return today


def test_stats_json_has_the_documented_keys(db_target, capsys):
    today = _collection(db_target)
    assert main(["--db", db_target, "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"today", "streak", "retention", "reviews_per_day", "forecast", "counts"} <= set(data)
    assert data["today"] == {
        "reviews": 1,
        "new": 0,
        "drills": 0,
        "correct": 1,
        "correct_share": 1.0,
        "seconds": 6.0,
    }
    assert data["streak"] == {"current": 3, "longest": 3}
    assert len(data["reviews_per_day"]) == 365
    assert data["reviews_per_day"][-1] == {"date": today.isoformat(), "count": 1}
    assert len(data["forecast"]) == 30
    assert data["forecast"][0] == {"date": today.isoformat(), "due": 1}
    # (the CLI may install the bundled decks on first open: more new cards than ours)
    assert data["counts"]["new"] >= 1 and data["counts"]["young"] == 1
    assert data["retention"]["7"]["young"] == {"reviews": 3, "correct": 3, "rate": 1.0}


def test_stats_for_one_deck(db_target, capsys):
    _collection(db_target)
    assert main(["--db", db_target, "stats", "Lang::Verbs", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["deck"] == "Lang::Verbs"
    assert data["today"]["reviews"] == 0 and data["counts"]["total"] == 1


def test_unknown_deck_is_one_line_and_exit_1(db_target, capsys):
    _collection(db_target)
    assert main(["--db", db_target, "stats", "Nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("flashcards: no deck named 'Nope'") and err.count("\n") == 1


def test_stats_tables_and_charts(db_target, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _collection(db_target)
    assert main(["--db", db_target, "stats"]) == 0
    out = capsys.readouterr().out
    for text in ("Today", "True retention", "Cards", "Reviews per day", "Due in the next 30"):
        assert text in out
    assert max(len(line) for line in out.splitlines()) <= 80
