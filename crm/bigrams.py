"""Pairs of characters, the search box's index on PostgreSQL (docs/decisions.md, issue 20).

A Chinese term is usually two characters (集团, 银行): too short for a trigram index, and full
text search has no Chinese word splitter. So each searched record is indexed by the set of
pairs of neighbouring characters in its searched fields (lower case, none across a space):
`cuilong_bigrams(name, email)` is an immutable SQL function, a GIN index over it per kind keeps
itself current on every write (saves, imports' bulk writes, merges, raw updates alike), and a
search first asks for the rows holding all of the term's pairs (`@>`), then checks the real
substring on those few. SQLite has neither: its search stays the plain scan.
"""

from django.db import models
from django.db.models import F, Func, Q, Value

FUNCTION = """
CREATE OR REPLACE FUNCTION cuilong_bigrams(VARIADIC parts text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(array_agg(DISTINCT pair), '{}')
  FROM unnest(parts) AS part(t)
  CROSS JOIN LATERAL generate_series(1, length(t) - 1) AS i
  CROSS JOIN LATERAL (SELECT substr(lower(t), i, 2) AS pair) AS pairs
  WHERE pair !~ '\\s'
$fn$
"""


class Bigrams(Func):
    function = "cuilong_bigrams"
    output_field = models.TextField()  # a text[] in SQL, never read into Python


class Holds(Func):
    """`left @> right`: the first set of pairs holds every pair of the second."""

    template = "(%(expressions)s)"
    arg_joiner = " @> "
    output_field = models.BooleanField()


def install(connection) -> None:
    """Create (or refresh) the SQL function on a PostgreSQL database; nothing elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(FUNCTION)


def index_sql(table: str, name: str, fields) -> str:
    """The GIN index a kind's search uses: over exactly the expression `holding()` writes."""
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
        f"USING gin (cuilong_bigrams({', '.join(fields)}))"
    )


def create_indexes(schema_editor, indexes: dict) -> None:
    """A migration's step: the function, then each index {name: (table, fields)}."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install(connection)
    with connection.cursor() as cursor:
        for name, (table, fields) in indexes.items():
            cursor.execute(index_sql(table, name, fields))


def drop_indexes(schema_editor, indexes: dict) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def holding(fields, term: str, connection) -> Q:
    """Rows whose `fields` hold every pair of characters of `term` (PostgreSQL), which every
    row containing `term` does: a condition that only narrows, served by the index. Empty
    (no narrowing) on other databases."""
    if connection.vendor != "postgresql":
        return Q()
    pairs = Bigrams(Value(term, output_field=models.TextField()))
    return Q(Holds(Bigrams(*(F(name) for name in fields)), pairs))
