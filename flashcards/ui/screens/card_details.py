"""One card in full, as `flashcards card ID` prints it: sides, deck, tags, schedule, dates, and
its whole review history. The browser's pane shows a card's latest reviews; this dialog scrolls
through all of them. Every value is sanitised text in `Content`, never markup."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from flashcards.sanitize import clean, clean_line
from flashcards.services.cards import CardDetails

STAMP = "%Y-%m-%d %H:%M"


def details_content(card: CardDetails) -> Content:
    """The card as labelled lines, then one line per review, oldest first."""
    due = card.due.isoformat() if card.due else "new (not scheduled)"
    parts: list[str | tuple[str, str]] = [
        (f"Card #{card.id}", "bold"),
        f" · {clean_line(card.deck)} · {card.type} · ",
        (card.state, "bold"),
        "\n\n",
        ("Front\n", "bold"),
        clean(card.front),
        "\n\n",
        ("Back\n", "bold"),
        clean(card.back) or "(empty)",
        "\n\n",
        f"Tags: {clean_line(' '.join(card.tags)) or '-'}\n",
        f"Due: {due} · interval {card.interval} d · ease {card.ease:.2f} · "
        f"repetitions {card.repetitions} · lapses {card.lapses}\n",
    ]
    if card.suspended or card.buried_until:
        buried = card.buried_until.isoformat() if card.buried_until else "-"
        parts.append(f"Suspended: {'yes' if card.suspended else 'no'} · buried until {buried}\n")
    parts.append(
        f"Created {card.created_at:{STAMP}} UTC · modified {card.modified_at:{STAMP}} UTC\n\n"
    )
    if not card.reviews:
        parts.append("No reviews yet.")
        return Content.assemble(*parts)
    parts.append((f"Reviews ({len(card.reviews)})\n", "bold"))
    parts.append("when (UTC)        study day   grade  drill  interval      time\n")
    for r in card.reviews:
        drill = "yes" if r.drill else "no"
        interval = f"{r.interval_before}→{r.interval_after} d"
        parts.append(
            f"{r.reviewed_at:{STAMP}}  {r.review_day.isoformat()}  {r.grade:>5}  {drill:>5}  "
            f"{interval:<12} {r.duration_ms / 1000:>5.1f} s\n"
        )
    return Content.assemble(*parts)


class CardDetailsScreen(ModalScreen[None]):
    """Scrolls with the arrow and page keys; escape or enter closes it."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="details-close")]

    def __init__(self, card: CardDetails) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(details_content(self.card), id="card-details")

    def on_mount(self) -> None:
        self.query_one("#dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
