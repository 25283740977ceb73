"""The benchmark harness runs end to end at a tiny size and prints every figure it promises.

No assertion on time: the figures are for bench/README.md, not for pass or fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).parents[2] / "bench" / "run.py"
KEYS = {
    "cards",
    "cold_start_ms",
    "textual_floor_ms",
    "home_cold_ms",
    "home_cold_ratio",
    "db_open_ms",
    "answer_ms_median",
    "answer_ms_p90",
    "first_answer_ms",
    "home_counts_ms",
    "stats_ms",
    "search_ms",
    "search_slowest_ms",
    "search_no_match_ms",
    "import_cards_per_s",
    "import_peak_rss_mib",
    "browser_open_ms",
    "add_card_ms",
    "apkg_import_cards_per_s",
    "peak_rss_mib",
}


def test_bench_runs_and_reports_every_figure(tmp_path: Path) -> None:
    """Without the Anki library (hidden here by an empty `anki` package ahead of it on the path,
    whether or not it is installed) every figure of ours is there, Anki's is left out, and
    stderr says so once."""
    (tmp_path / "anki").mkdir()
    (tmp_path / "anki" / "__init__.py").write_text("")
    result = subprocess.run(
        [sys.executable, str(RUN), "--cards", "200", "--runs", "1", "--answers", "50", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures) >= KEYS
    assert figures["cards"] == 200
    assert all(figures[k] > 0 for k in KEYS)
    assert "anki_first_card_ms" not in figures
    assert result.stderr.count("anki is not installed") == 1


def test_the_anki_side_builds_and_queues_a_first_card(tmp_path: Path) -> None:
    """With the Anki library installed (the `bench` extra), its stage builds a collection of
    the same size and its measured child finds a card to study."""
    pytest.importorskip("anki.collection")
    sys.path.insert(0, str(RUN.parent))
    try:
        import anki_side
    finally:
        sys.path.remove(str(RUN.parent))
    path = tmp_path / "side.anki2"
    built = subprocess.run(
        [sys.executable, *anki_side.build_args(path, 50)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    assert built.stdout.split()[-1] == "50"
    first = subprocess.run(
        [sys.executable, *anki_side.first_card_args(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr[-2000:]


PG_KEYS = KEYS - {
    "cold_start_ms",
    "textual_floor_ms",
    "home_cold_ms",
    "home_cold_ratio",
    "browser_open_ms",
    "apkg_import_cards_per_s",
    "peak_rss_mib",
}
"""What `--pg` measures: every figure but a file's and a screen's."""


def test_bench_runs_on_a_postgresql_server_and_leaves_no_database(postgres_server: str) -> None:
    """`--pg URL` measures in databases of its own on that server and drops them at the end
    (skipped without a server: set FLASHCARDS_TEST_POSTGRES)."""
    import psycopg2

    def bench_databases() -> list[str]:
        conn = psycopg2.connect(postgres_server)
        try:
            cursor = conn.cursor()
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", ("flashcards_bench_%",)
            )
            return [row[0] for row in cursor.fetchall()]
        finally:
            conn.close()

    before = bench_databases()
    args = ["--cards", "200", "--answers", "50", "--json", "--pg", postgres_server]
    result = subprocess.run(
        [sys.executable, str(RUN), *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures) >= PG_KEYS
    assert all(figures[k] > 0 for k in PG_KEYS)
    assert not set(figures) & (KEYS - PG_KEYS)
    assert bench_databases() == before
