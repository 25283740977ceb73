"""`flashcards cards [QUERY]` and `flashcards card ID`: find cards, and read one in full."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, print_table, say
from flashcards.errors import UserError
from flashcards.sanitize import clean, clean_line

if TYPE_CHECKING:
    from flashcards.services.cards import CardDetails

# The search services are imported inside the functions: the CLI imports every command module,
# and the other commands (above all `review`, whose start-up is timed) should not pay for them.

DEFAULT_LIMIT = 100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cards",
        help="find cards with a search query",
        description=(
            "List the cards matching QUERY (every card without one), in the search language of "
            'docs/search.md: words, "phrases", front:, back:, deck:, tag:, is:, type:, prop:, '
            "added:, rated:, id:, re:, - to negate, OR and parentheses. Put -- before a query "
            "that starts with -."
        ),
    )
    p.add_argument("query", nargs="?", default="", help="the search (default: every card)")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N cards (default {DEFAULT_LIMIT}; 0 for all)",
    )
    p.add_argument(
        "--sort",
        default="id",
        metavar="FIELD",
        help="order by id (default), deck, due, interval, ease, lapses, reps, added or modified",
    )
    p.add_argument("--reverse", action="store_true", help="sort in descending order")
    p.set_defaults(handler=run_cards)

    p = sub.add_parser(
        "card",
        help="show one card in full, with its review history",
        description="Show a card's sides, deck, tags, schedule and every review it had.",
    )
    p.add_argument("id", type=int, help="the card's id (see `flashcards cards`)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=run_card)


def run_cards(args: argparse.Namespace) -> int:
    from flashcards.services.cards import count_matches, search_cards

    if args.limit < 0:
        raise UserError("--limit must be 0 (no limit) or more")
    col = collection_from(args)
    try:
        result = search_cards(
            col,
            args.query,
            sort=args.sort,
            descending=args.reverse,
            limit=args.limit or None,
        )
        total = count_matches(col, args.query) if result.more else len(result.cards)
    finally:
        col.close()
    shown = len(result.cards)
    if args.json:
        print_json([asdict(c) for c in result.cards])
    elif not result.cards:
        say("No cards match.")
    else:
        rows = [
            (
                clean_line(c.question),
                clean_line(c.deck),
                c.type,
                c.state,
                c.due.isoformat() if c.due else "-",
                c.interval,
                f"{c.ease:.2f}",
                c.lapses,
                c.id,
            )
            for c in result.cards
        ]
        print_table(["front", "deck", "type", "state", "due", "ivl", "ease", "lapses", "id"], rows)
    if shown < total:
        say(
            f"{shown} of {total} matching cards shown (--limit 0 for all)",
            err=args.json,
        )
    return 0


def _print_card(card: CardDetails) -> None:
    say(f"Card {card.id} · {clean_line(card.deck)} · {card.type} · {card.state}")
    say(f"Front: {clean(card.front)}")
    say(f"Back:  {clean(card.back)}")
    say(f"Tags:  {clean_line(' '.join(card.tags)) or '-'}")
    say(
        f"SM-2:  repetitions {card.repetitions} · interval {card.interval} days · "
        f"ease {card.ease:.2f} · lapses {card.lapses}"
    )
    say(f"Due:   {card.due.isoformat() if card.due else '- (new)'}")
    if card.suspended or card.buried_until:
        buried = card.buried_until.isoformat() if card.buried_until else "-"
        say(f"Suspended: {'yes' if card.suspended else 'no'} · buried until: {buried}")
    stamp = "%Y-%m-%d %H:%M"
    say(f"Created {card.created_at:{stamp}} UTC · modified {card.modified_at:{stamp}} UTC")
    if not card.reviews:
        say("No reviews yet.")
        return
    say(f"Reviews ({len(card.reviews)}):")
    rows = [
        (
            f"{r.reviewed_at:%Y-%m-%d %H:%M}",
            r.review_day.isoformat(),
            r.grade if r.button is None else f"{r.grade} ({clean_line(r.button)})",
            "drill" if r.drill else "",
            f"{r.interval_before} → {r.interval_after}",
            f"{r.duration_ms / 1000:.1f} s",
        )
        for r in card.reviews
    ]
    print_table(["when (UTC)", "study day", "grade", "drill", "interval", "time"], rows)


def run_card(args: argparse.Namespace) -> int:
    from flashcards.services.cards import card_details

    col = collection_from(args)
    try:
        card = card_details(col, args.id)
    finally:
        col.close()
    if args.json:
        print_json(asdict(card))
    else:
        _print_card(card)
    return 0
