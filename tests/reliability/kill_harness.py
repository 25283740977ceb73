"""Crash-safety harness: SIGKILL a process that is writing the collection, then check the file.

The parent starts a child (this same file, run with `--child MODE`) that works on a collection and
prints one line per committed unit of work, flushed at once:

* `review`: answers cards through `StudySession` forever, printing `ANSWERED <card_id> <review_id>`
  after each `answer()` returns (so the line means "this answer was reported as saved");
* `review-deck SEED DECK`: the same, for one deck only (two of them can share a file);
* `wait-after N`: answers N cards, prints `WAITING` and blocks: a kill *between* two answers;
* `import FILE`: imports one large deck file with the import service, then prints `IMPORTED`;
* `bulk HOLD PAUSE`: holds a write transaction touching every card for HOLD seconds, again
  and again, PAUSE seconds apart (a bulk edit).

The parent kills it at a random moment (seeded, so a failing run can be replayed), waits for it,
reads every complete line it printed before dying, and checks that `PRAGMA integrity_check` is
`ok`, that every answer printed is in `review_log` with that id and card, and that every card's
state equals the `after_*` state of its latest review (card update and log row were one
transaction). For an import: the deck is either complete or absent.

Run it as a script for a long soak: `python tests/reliability/kill_harness.py --kills 300`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.reliability.dbtools import integrity  # noqa: E402

START = dt.datetime(2026, 3, 2, 10, 0)
IMPORT_DECK = "Kill::Import"


# -- the child ------------------------------------------------------------------------------------


def _emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _open(db: str, day: dt.date | None = None):
    from flashcards.clock import FixedClock
    from flashcards.services.collection import open_collection
    from flashcards.settings import Settings

    when = START if day is None else dt.datetime.combine(day, START.time())
    settings = Settings(new_per_day=1000, reviews_per_day=100_000)
    return open_collection(db, clock=FixedClock(when), settings=settings)


def _last_review_day(db: str) -> dt.date | None:
    conn = sqlite3.connect(db, timeout=30)
    try:
        row = conn.execute("SELECT MAX(review_day) FROM review_log").fetchone()
    except sqlite3.OperationalError:  # a brand-new file: no tables yet
        return None
    finally:
        conn.close()
    return dt.date.fromisoformat(row[0]) if row and row[0] else None


def child_review(db: str, seed: int, stop_after: int | None, deck: str | None) -> None:
    """Answer cards until killed (or until `stop_after` answers, then wait to be killed)."""
    from flashcards.services.study import StudySession

    rng = random.Random(seed)
    col = _open(db, _last_review_day(db))
    _emit("READY")
    answered = 0
    while True:
        session = StudySession(col, deck)
        while session.current() is not None:
            if stop_after is not None and answered >= stop_after:
                _emit("WAITING")
                sys.stdin.readline()  # blocks until the parent kills us
                return
            result = session.answer(rng.randint(0, 5), duration_ms=rng.randint(500, 9000))
            _emit(f"ANSWERED {result.card_id} {result.review_id}")
            answered += 1
        col.clock.advance(days=1)  # type: ignore[attr-defined]


def child_import(db: str, deck_file: str) -> None:
    from flashcards.services.importer import import_paths

    col = _open(db)
    _emit("READY")
    import_paths(col, [Path(deck_file)])
    _emit("IMPORTED")
    col.close()


def child_bulk(db: str, hold_seconds: float, pause_seconds: float) -> None:
    """Hold write transactions that touch every card, `pause_seconds` apart, until killed.

    With no pause at all the other writer starves: SQLite's busy handler polls, it does not
    queue, so a loop that takes the lock again at once can keep it past the busy timeout.
    """
    from flashcards.storage import Card
    from flashcards.storage.binding import bound

    col = _open(db)
    _emit("READY")
    n = 0
    while True:
        with bound(col.db), col.db.atomic():
            Card.update(modified_at=dt.datetime(2026, 1, 1) + dt.timedelta(seconds=n)).execute()
            time.sleep(hold_seconds)
        n += 1
        _emit(f"BULK {n}")
        time.sleep(pause_seconds)


# -- the parent -----------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("XDG_DATA_HOME", tempfile.gettempdir())
    env.setdefault("XDG_CONFIG_HOME", tempfile.gettempdir())
    return env


class Child:
    """A running child: its complete stdout lines are collected by a thread as they arrive."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), "--child", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        self.lines: list[str] = []
        self.stderr = ""
        self._ended = False
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._printed = threading.Condition(self._lock)  # notified at every complete line
        self._out = threading.Thread(target=self._read_out, daemon=True)
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._out.start()
        self._err.start()

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.endswith("\n"):  # cut off by the kill: not a report of anything
                break
            word = line.split(" ", 1)[0].strip()
            with self._lock:
                self.lines.append(line.rstrip("\n"))
                event = self._events.setdefault(word, threading.Event())
                self._printed.notify_all()
            event.set()
        with self._lock:  # the output ended: wake anyone still waiting for a count
            self._ended = True
            self._printed.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def wait_for(self, word: str, timeout: float = 30) -> bool:
        with self._lock:
            event = self._events.setdefault(word, threading.Event())
        return event.wait(timeout)

    def wait_for_count(self, word: str, count: int, timeout: float = 60) -> bool:
        """Wait until `count` lines starting with `word` have been printed (False: the child's
        output ended, or `timeout` passed, first): a condition, not a guess at how long it takes."""

        def printed() -> int:
            return sum(1 for line in self.lines if line.split(" ", 1)[0] == word)

        with self._lock:
            self._printed.wait_for(lambda: self._ended or printed() >= count, timeout)
            return printed() >= count

    def kill(self) -> int:
        """SIGKILL (if still running), reap, and collect everything it printed; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(timeout=30)
        self._out.join(timeout=30)
        self._err.join(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code

    def finish(self, timeout: float = 60) -> int:
        """Let it end by itself; the exit code."""
        self.proc.wait(timeout=timeout)
        return self.kill()  # only reaps and collects: it has exited

    def answers(self) -> list[tuple[int, int]]:
        return [
            (int(parts[1]), int(parts[2]))
            for parts in (line.split() for line in self.lines)
            if parts[0] == "ANSWERED"
        ]


@dataclass
class KillReport:
    """What a run of kills found; `ok` when nothing was lost or damaged."""

    kills: int = 0
    early_kills: int = 0  # killed before it said READY (while opening the collection)
    answers_verified: int = 0
    imports_complete: int = 0
    imports_absent: int = 0
    integrity_ok: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"kills={self.kills} (early {self.early_kills}) "
            f"answers_verified={self.answers_verified} "
            f"integrity_ok={self.integrity_ok}/{self.kills} imports complete/absent="
            f"{self.imports_complete}/{self.imports_absent} problems={len(self.problems)} "
            f"wall={self.seconds:.1f}s"
        )


def missing_answers(db_path: str | Path, answers: Sequence[tuple[int, int]]) -> list[str]:
    """Answers reported as saved that the file does not hold (by review id and card id)."""
    if not answers:
        return []
    conn = sqlite3.connect(str(db_path), timeout=30)
    try:
        rows = dict(conn.execute("SELECT id, card_id FROM review_log").fetchall())
    finally:
        conn.close()
    return [
        f"answer {rid} of card {cid} is missing" for cid, rid in answers if rows.get(rid) != cid
    ]


def inconsistent_cards(db_path: str | Path) -> list[str]:
    """Cards whose state is not the `after_*` state of their latest review (or not new without)."""
    conn = sqlite3.connect(str(db_path), timeout=30)
    try:
        bad = conn.execute(
            """
            SELECT c.id FROM card c
            LEFT JOIN review_log r ON r.id = (SELECT MAX(id) FROM review_log WHERE card_id = c.id)
            WHERE (r.id IS NULL AND (c.due IS NOT NULL OR c.repetitions != 0))
               OR (r.id IS NOT NULL AND NOT (c.repetitions = r.after_repetitions
                   AND c.interval = r.after_interval AND c.easiness = r.after_easiness
                   AND c.due IS r.after_due))
            """
        ).fetchall()
        negative = conn.execute(
            "SELECT id FROM review_log WHERE after_interval < 0 OR after_due < review_day"
        ).fetchall()
    except sqlite3.OperationalError:  # no tables yet: killed before the schema was created
        return []
    finally:
        conn.close()
    return [f"card {cid} disagrees with its last review" for (cid,) in bad] + [
        f"review {rid} has a negative interval or a due date before its day" for (rid,) in negative
    ]


def make_review_db(db_path: str | Path, cards: int = 150, decks: int = 3) -> None:
    """A collection with `cards` new basic cards spread over `decks` decks."""
    from flashcards.services.decks import ensure_deck
    from flashcards.storage import Card
    from flashcards.storage.binding import bound

    col = _open(str(db_path))
    try:
        now = START
        with bound(col.db), col.db.atomic():
            for d in range(decks):
                deck = ensure_deck(col, f"Kill::Deck {d}")
                for i in range(d, cards, decks):
                    Card.create(
                        deck=deck, key=f"k{i}", front=f"front {i}", back=f"back {i}",
                        created_at=now, modified_at=now,
                    )  # fmt: skip
    finally:
        col.close()


def _record_integrity(db: Path, report: KillReport, label: str) -> None:
    """Count an ok integrity check, or note what SQLite said was wrong."""
    result = integrity(db)
    if result == "ok":
        report.integrity_ok += 1
    else:
        report.problems.append(f"{label}: integrity_check: {result[:200]}")


def _check_after_kill(db: Path, report: KillReport, answers: Sequence[tuple[int, int]]) -> None:
    _record_integrity(db, report, f"kill {report.kills}")
    lost = missing_answers(db, answers)
    report.problems.extend(f"kill {report.kills}: {p}" for p in lost)
    report.answers_verified += len(answers) - len(lost)
    report.problems.extend(f"kill {report.kills}: {p}" for p in inconsistent_cards(db))


def run_review_kills(
    db: str | Path,
    kills: int,
    seed: int = 7,
    max_delay: float = 0.25,
    early_fraction: float = 0.1,
) -> KillReport:
    """Kill a reviewing child `kills` times at random moments; check the file after each kill."""
    db = Path(db)
    if not db.exists():
        make_review_db(db)
    rng = random.Random(seed)
    report = KillReport()
    everything: list[tuple[int, int]] = []
    started = time.monotonic()
    for _ in range(kills):
        child = Child("review", str(db), str(rng.randrange(1 << 30)))
        if rng.random() < early_fraction:
            time.sleep(rng.uniform(0, 0.2))
        elif not child.wait_for("READY"):
            child.kill()
            report.problems.append(f"child never got ready: {child.stderr.strip()[-300:]}")
            continue
        else:
            time.sleep(rng.uniform(0, max_delay))
        code = child.kill()
        report.kills += 1
        if "READY" not in child.lines:
            report.early_kills += 1
        if code != -signal.SIGKILL:
            report.problems.append(
                f"kill {report.kills}: child exited {code}: {child.stderr[-500:]}"
            )
        answers = child.answers()
        everything.extend(answers)
        _check_after_kill(db, report, answers)
    # Nothing reported earlier may vanish later either.
    report.problems.extend(f"at the end: {p}" for p in missing_answers(db, everything))
    report.seconds = time.monotonic() - started
    return report


def write_big_deck(path: str | Path, cards: int) -> Path:
    """A valid TOML deck with `cards` basic cards, large enough that importing takes a while."""
    path = Path(path)
    parts = [f'[deck]\nname = "{IMPORT_DECK}"\ndescription = "for the kill harness"\n']
    for i in range(cards):
        parts.append(f'\n[[cards]]\nid = "c{i}"\nfront = "question {i}"\nback = "answer {i}"\n')
    path.write_text("".join(parts), encoding="utf-8")
    return path


def deck_card_count(db: str | Path, deck: str) -> int:
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        row = conn.execute(
            "SELECT COUNT(c.id) FROM card c JOIN deck d ON d.id = c.deck_id WHERE d.name = ?",
            (deck,),
        ).fetchone()
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()
    return int(row[0])


def run_import_kills(
    workdir: str | Path, kills: int, seed: int = 11, cards: int = 3000
) -> KillReport:
    """Kill an importing child at random moments: the deck must be complete or absent."""
    workdir = Path(workdir)
    rng = random.Random(seed)
    deck_file = write_big_deck(workdir / "big.toml", cards)
    template = workdir / "template.db"
    make_review_db(template, cards=30, decks=1)
    # How long a whole import takes here, so kills land before, during and after it.
    probe = workdir / "probe.db"
    shutil.copy(template, probe)
    child = Child("import", str(probe), str(deck_file))
    t0 = time.monotonic()
    child.wait_for("READY")
    t_ready = time.monotonic()
    code = child.finish(timeout=120)
    duration = time.monotonic() - t_ready
    report = KillReport()
    if code != 0 or deck_card_count(probe, IMPORT_DECK) != cards:
        report.problems.append(f"the unkilled import failed ({code}): {child.stderr[-800:]}")
        return report
    started = time.monotonic() - (t_ready - t0)
    for i in range(kills):
        db = workdir / f"import-{i}.db"
        shutil.copy(template, db)
        child = Child("import", str(db), str(deck_file))
        child.wait_for("READY")
        time.sleep(rng.uniform(0, duration * 1.2))
        code = child.kill()
        report.kills += 1
        _record_integrity(db, report, f"import kill {i}")
        count = deck_card_count(db, IMPORT_DECK)
        if count == cards:
            report.imports_complete += 1
        elif count == 0 and "IMPORTED" not in child.lines:
            report.imports_absent += 1
        else:
            report.problems.append(
                f"import kill {i}: {count} of {cards} cards after the kill "
                f"(IMPORTED printed: {'IMPORTED' in child.lines}, exit {code})"
            )
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    report.seconds = time.monotonic() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--kills", type=int, default=30, help="how many times to kill the child")
    parser.add_argument("--import-kills", type=int, default=None, help="kills of an import")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    args = parser.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        if mode == "review":
            child_review(rest[0], int(rest[1]), None, None)
        elif mode == "review-deck":
            child_review(rest[0], int(rest[1]), None, rest[2])
        elif mode == "wait-after":
            child_review(rest[0], 0, int(rest[1]), None)
        elif mode == "import":
            child_import(rest[0], rest[1])
        elif mode == "bulk":
            child_bulk(rest[0], float(rest[1]), float(rest[2]))
        else:
            raise SystemExit(f"unknown child mode {mode}")
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="kill-harness-"))
    work.mkdir(parents=True, exist_ok=True)
    report = run_review_kills(work / "review.db", args.kills, seed=args.seed)
    print("review:", report.summary())
    for problem in report.problems[:20]:
        print("  ", problem)
    ok = report.ok
    import_kills = args.import_kills if args.import_kills is not None else max(1, args.kills // 10)
    imp = run_import_kills(work, import_kills, seed=args.seed)
    print("import:", imp.summary())
    for problem in imp.problems[:20]:
        print("  ", problem)
    ok = ok and imp.ok
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
