"""Fixtures for the reliability tests: the CLI run in-process, with its output captured."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from flashcards.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The error as a user sees it; asserts it is exactly one line."""
        lines = self.err.strip("\n").split("\n")
        assert len(lines) == 1, f"expected one line on stderr, got:\n{self.err}"
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `flashcards ARGS...` in this process (as `flashcards.cli.main`), capture its output."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
