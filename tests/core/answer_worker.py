"""A child process for test_concurrent_answers: answers every card of one deck, printing each.

`python -m tests.core.answer_worker TARGET SEED LIMIT` opens the collection, builds its study
session, prints READY, waits for a line on stdin (so two children start answering together),
then answers with qualities drawn from SEED and prints `ANSWER card_id review_id` per answer.
It pauses a few milliseconds between answers (as a person would, only faster), so the two
children's answers interleave instead of one finishing before the other has started.
"""

from __future__ import annotations

import random
import sys
import time

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.services.study import StudySession
from tests.conftest import START


def main(target: str, seed: int, limit: int) -> None:
    col = open_collection(target, clock=FixedClock(START))
    try:
        session = StudySession(col, "Shared")
        print("READY", flush=True)
        sys.stdin.readline()
        rng = random.Random(seed)
        for _ in range(limit):
            if session.current() is None:
                break
            result = session.answer(rng.choice((1, 2, 3, 4, 4, 5, 5)))
            print(f"ANSWER {result.card_id} {result.review_id}", flush=True)
            time.sleep(rng.uniform(0.001, 0.006))
    finally:
        col.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
