"""Figures cached until the data under them changes (issue 24): exact, never stale after a save.

The database keeps a generation number that a trigger on every table the figures read replaces
in the same transaction as the write — whatever made it: a service, a bulk import, admin, a
queryset `update()`, raw SQL. A cached figure is stored under the generation it was computed
at; reading the generation (one indexed row) tells whether it still holds. A writer's new
generation is seen only once its transaction commits, so a figure computed meanwhile is stored
under the old one and never served after the commit. A new generation is a random 63-bit
number, not the old one plus one: a rolled-back write returns the row to its old value, and a
later write must not land on a number whose cache entry saw the rolled-back data.

The price is one small row update per writing statement (per row on SQLite), which also
serialises the writers of those tables for the rest of their transaction: fine for a sales team's
writes, and the pipeline then costs one query until the next write. Two rows, each with its own
triggers: the deals' figures and the relationships' (see DEALS, RELATIONSHIPS).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models

TABLE = "crm_figuregeneration"
FUNCTION = "crm_bump_figures"


class FigureGeneration(models.Model):
    """One row: raised by the triggers of `install()`."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = TABLE

    def __str__(self):
        return str(self.value)


# The generation rows: the deals' figures (the pipeline, learning from deals) and the
# relationships' (what builds trust). Each has its own triggers, so logging an activity does
# not empty the pipeline's cache.
DEALS, RELATIONSHIPS = 1, 2


def install(db, tables, *, row: int = DEALS) -> None:
    """Create generation `row` and its triggers on `tables` (idempotent; run after every
    migrate). A database migrated only part of the way gets the triggers of the tables it has."""
    existing = set(db.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [table for table in tables if table in existing]
    suffix = "" if row == DEALS else f"_{row}"
    function = f"{FUNCTION}{suffix}"
    with db.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, value) SELECT %s, 0 WHERE NOT EXISTS "
            f"(SELECT 1 FROM {TABLE} WHERE id = %s)",
            [row, row],
        )
        if db.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
                f"UPDATE {TABLE} SET value = floor(random() * 9.2e18)::bigint WHERE id = {row}; "
                "RETURN NULL; END; $$ "
                "LANGUAGE plpgsql"
            )
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures{suffix} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_figures{suffix} AFTER INSERT OR UPDATE OR DELETE OR "
                    f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
        elif db.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{table}_figures{suffix}_{event.lower()}"
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} "
                        f"AFTER {event} ON {table} BEGIN "
                        f"UPDATE {TABLE} SET value = abs(random()) WHERE id = {row}; END"
                    )


def tables_of(app_config) -> list[str]:
    """An app's tables for `install`, its many-to-many ones included, less simple-history's
    copies (written beside every change, read by no figure)."""
    return [
        model._meta.db_table
        for model in app_config.get_models(include_auto_created=True)
        if not model._meta.db_table.startswith(f"{app_config.label}_historical")
    ]


def key(name: str, *parts) -> str:
    """A cache key for the figures `name` of these parts (user, filters, day, language …):
    hashed, so that any filters make a short key."""
    return f"{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def current(row: int = DEALS) -> int | None:
    """The generation `row` for a view that caches several figures (read once and passed to
    each `cached(current=…)`); None, and no query, with FIGURES_CACHE off."""
    return generation(row) if settings.FIGURES_CACHE else None


def generation(row: int = DEALS) -> int | None:
    """The current generation, or None where no trigger keeps one (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = %s", [row])
        found = cursor.fetchone()
    return found[0] if found else None


def cached(key: str, compute, *, timeout: int = 3600, row: int = DEALS, current=None):
    """`compute()`'s value for `key` at the current generation `row` (read here unless the
    caller read it already: `current`): from the cache when it holds, else computed and stored
    (always computed with FIGURES_CACHE off)."""
    if not settings.FIGURES_CACHE:
        return compute()
    if current is None:
        current = generation(row)
    if current is None:
        return compute()
    full_key = f"figures:{row}:{current}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
