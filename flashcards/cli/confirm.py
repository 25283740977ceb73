"""Asking before a destructive command: on a terminal only, refusing when nobody can answer."""

from __future__ import annotations

import sys

from flashcards.cli.output import say
from flashcards.errors import UserError


def confirmed(question: str, refusal: str) -> bool:
    """Ask `question` (it ends in "[y/N] ") on a terminal; with no terminal to answer on, raise
    `refusal` as the user's error (they must pass --yes)."""
    if not sys.stdin.isatty():
        raise UserError(refusal)
    try:
        answer = input(question)
    except EOFError:  # ctrl+d: no answer is no
        say("")
        return False
    return answer.strip().lower() in ("y", "yes")
