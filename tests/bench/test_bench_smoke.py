"""The benchmark harness runs end to end at a tiny size and prints every figure it promises.

No assertion on time: the figures are for bench/README.md, not for pass or fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    "search_no_match_ms",
    "import_cards_per_s",
    "import_peak_rss_mib",
    "browser_open_ms",
    "add_card_ms",
    "apkg_import_cards_per_s",
    "peak_rss_mib",
}


def test_bench_runs_and_reports_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(RUN), "--cards", "200", "--runs", "1", "--answers", "50", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures) >= KEYS
    assert figures["cards"] == 200
    assert all(figures[k] > 0 for k in KEYS)
