"""The browser's pane below the list: the selected card in full and its latest reviews.

Built from `Content` parts, never a markup string, over sanitised text.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from flashcards.sanitize import clean_line
from flashcards.services.cards import CardDetails

SIDE_CHARS = 200
REVIEWS_SHOWN = 3  # the latest; enter opens the card with its whole history


def _side(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= SIDE_CHARS else line[: SIDE_CHARS - 1] + "…"


class CardPane(Static):
    """Front, back, deck, tags, schedule, and the last few reviews of one card.

    Its height is fixed (app.tcss), so a new card repaints it without laying the screen out
    again."""

    def show(self, card: CardDetails | None) -> None:
        if card is None:
            self.update(Content("No card selected."), layout=False)
            return
        due = card.due.isoformat() if card.due else "new"
        parts: list[str | tuple[str, str]] = [
            ("Front ", "bold"),
            _side(card.front),
            "\n",
            ("Back  ", "bold"),
            _side(card.back),
            "\n",
            f"#{card.id} · {clean_line(card.deck)} · {card.type} · ",
            (card.state, "bold"),
            f" · due {due} · ivl {card.interval} d · ease {card.ease:.2f} · lapses {card.lapses}",
            "\n",
            f"Tags: {clean_line(' '.join(card.tags)) or '-'}",
            "\n",
        ]
        if not card.reviews:
            parts.append("No reviews yet.")
        else:
            recent = card.reviews[-REVIEWS_SHOWN:]
            parts.append(f"Reviews ({len(card.reviews)}, latest last, enter for all): ")
            parts.append(
                " | ".join(
                    f"{r.review_day.isoformat()} grade {r.grade}{' drill' if r.drill else ''}"
                    f" {r.interval_before}→{r.interval_after} d"
                    for r in recent
                )
            )
        self.update(Content.assemble(*parts), layout=False)
