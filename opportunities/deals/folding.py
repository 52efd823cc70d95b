"""Read more in one query (issue 24: every screen within 15 queries).

A queryset that annotates a child table's columns (`F("children__field")`) LEFT JOINs it: one
row per child, or one row with NULLs for a parent without children. `fold()` turns those rows
back into one object per parent with its children in a list, so that a screen needs one query
where `prefetch_related` needs two (used by the opportunity page, docs/performance.md).
`columns()` annotates every column of a related model and `instance()` builds that model back
from a row, as the ORM would have loaded it.

A settings table of one row (pk 1: QualificationSetting, MoveThresholdSetting, …) is read the
same way, as scalar subqueries in another query's row: `setting_columns()` and `setting()`.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import F, Model
from django.db.models.expressions import RawSQL

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


def columns(path: str, model: type[Model], prefix: str) -> dict:
    """Annotations of every column of `model`, reached from the queryset's model by `path`
    (e.g. "line_items__product"), named `prefix` + the column's attribute name."""
    return {f"{prefix}{f.attname}": F(f"{path}__{f.attname}") for f in model._meta.concrete_fields}


def instance(row: Model, model: type[Model], prefix: str) -> Model | None:
    """The `model` row that `columns(…, model, prefix)` annotated on `row`, or None where the
    LEFT JOIN found none."""
    fields = model._meta.concrete_fields
    values = [getattr(row, f"{prefix}{f.attname}") for f in fields]
    if getattr(row, f"{prefix}{model._meta.pk.attname}") is None:
        return None
    return model.from_db(row._state.db, [f.attname for f in fields], values)


def setting_columns(model: type[Model], prefix: str) -> dict:
    """Annotations reading the one row of `model` (pk 1) as scalar subqueries: part of the
    annotated query's row, no query of its own. Written as SQL: a dozen ORM subqueries cost
    more to compile (about 0.1 ms each) than the query they save."""
    table, pk = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
    return {
        f"{prefix}{f.attname}": RawSQL(
            f"SELECT {connection.ops.quote_name(f.column)} FROM {table} "
            f"WHERE {connection.ops.quote_name(pk)} = 1",
            (),
            output_field=f,
        )
        for f in model._meta.concrete_fields
    }


def setting(row: Model, model: type[Model], prefix: str) -> Model | None:
    """The settings row that `setting_columns(model, prefix)` read into `row`, or None when
    none is stored yet (the caller then takes the defaults, as the model's own reader does)."""
    return instance(row, model, prefix)
