"""The concern detector and the concern gate rule (METHOD.md §7.1–7.2). No database access.

Customers rarely say "I am worried". They say "let's wait a little", "we're still studying
it", "we've been busy lately", or pass the rep on to a leader or an expert. The detector reads
activity notes for the admin-editable signal phrases and suggests logging a concern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

EXCERPT = 60  # characters shown either side of the phrase


@dataclass(frozen=True)
class Note:
    activity_id: int
    date: date
    text: str


@dataclass(frozen=True)
class Signal:
    phrase: str
    risk_type: str = ""


@dataclass(frozen=True)
class Suggestion:
    activity_id: int
    date: date
    phrases: tuple[str, ...]
    risk_type: str
    excerpt: str


def _pattern(phrase: str) -> re.Pattern:
    # Case-insensitive, any run of spaces matches any other; Latin phrases match whole words
    # ("wait" must not fire on "waiter"), Chinese phrases match anywhere (no word spaces).
    words = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(words)
    if phrase.isascii():
        body = rf"\b{body}\b"
    return re.compile(body, re.IGNORECASE)


def _excerpt(text: str, start: int, end: int) -> str:
    left, right = max(start - EXCERPT, 0), min(end + EXCERPT, len(text))
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def detect(
    notes: Sequence[Note], signals: Sequence[Signal], *, already_logged: Iterable[int] = ()
) -> list[Suggestion]:
    """One suggestion per note that contains a signal phrase and is not yet the source of a
    concern, newest first. The suggested risk type is the first matching signal's."""
    logged = set(already_logged)
    compiled = [(s, _pattern(s.phrase)) for s in signals if s.phrase.strip()]
    suggestions = []
    for note in notes:
        if note.activity_id in logged or not note.text:
            continue
        hits = [(s, m) for s, p in compiled if (m := p.search(note.text))]
        if not hits:
            continue
        hits.sort(key=lambda h: h[1].start())
        first_signal, first = hits[0]
        suggestions.append(
            Suggestion(
                note.activity_id,
                note.date,
                tuple(dict.fromkeys(s.phrase for s, _ in hits)),
                first_signal.risk_type,
                _excerpt(note.text, first.start(), first.end()),
            )
        )
    suggestions.sort(key=lambda s: (s.date, s.activity_id), reverse=True)
    return suggestions


# What a plan that says nothing may hold: spaces, tabs, line breaks, the ideographic space.
# The SQL form of the rule (opportunities.models.contract.ConcernQuerySet.blocking) removes
# exactly these, so that the gate panel and the dashboards agree.
PLAN_BLANKS = " \t\r\n\u3000"


def is_blank_plan(text: str) -> bool:
    return not text.strip(PLAN_BLANKS)


def is_unplanned(status: str, prevention_plan: str, remedy_plan: str) -> bool:
    """A concern blocks the move-5 gate while it is not resolved and lacks either plan."""
    return status != "resolved" and (is_blank_plan(prevention_plan) or is_blank_plan(remedy_plan))
