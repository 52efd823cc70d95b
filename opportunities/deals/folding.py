"""Read a parent and one child table in a single query.

A queryset that annotates a child table's columns (`F("children__field")`) LEFT JOINs it: one
row per child, or one row with NULLs for a parent without children. `fold()` turns those rows
back into one object per parent with its children in a list, so that a screen needs one query
where `prefetch_related` needs two (used by the opportunity page, docs/performance.md).
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

Row = TypeVar("Row")


def fold(rows: Iterable[Row], attr: str, child: Callable[[Row], object]) -> list[Row]:
    """One object per parent, in the rows' order, with `child(row)` of each of its rows in
    `attr` (a row whose `child()` is None — the parent without children — adds nothing)."""
    parents: dict[object, Row] = {}
    for row in rows:
        parent = parents.get(row.pk)
        if parent is None:
            parent = parents[row.pk] = row
            setattr(parent, attr, [])
        item = child(row)
        if item is not None:
            getattr(parent, attr).append(item)
    return list(parents.values())
