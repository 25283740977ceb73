"""`flashcards check [--json]`: is the collection healthy? One line, and exit 1 when it is not."""

from __future__ import annotations

import argparse

from flashcards.cli.context import db_target_from
from flashcards.cli.output import print_json, say
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.health import check_collection, where


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check the collection for damage and a wrong schema",
        description=(
            "Run SQLite's integrity check on the collection file, then compare its schema with "
            "the one its schema version must have (no foreign trigger or view) and check its "
            "dates and card states. Prints one line; exits 1 naming the problem when anything is "
            "wrong. Read-only. On PostgreSQL only the schema and values are checked."
        ),
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = db_target_from(args)
    report = check_collection(target)
    shown = where(target)
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "target": shown,
                "integrity": report.integrity,
                "schema_version": report.version,
                "problems": [clean_line(p) for p in report.problems],
                "cards": report.cards,
                "reviews": report.reviews,
            }
        )
    if not report.ok:
        raise UserError(f"{shown}: {clean_line(report.summary())}")
    if not args.json:
        integrity = (
            "integrity ok"
            if report.integrity == "ok"
            else "integrity not checked (a server database: use its own tools)"
        )
        say(
            f"ok: {shown}: {integrity}, schema version {report.version} as expected, "
            f"{report.cards} cards, {report.reviews} reviews"
        )
    return 0
