"""Pairs of characters, the search box's index on PostgreSQL (docs/decisions.md, issue 20).

A Chinese term is usually two characters (集团, 银行): too short for a trigram index, and full
text search has no Chinese word splitter. So each searched record is indexed by the set of
pairs of neighbouring characters in its searched fields (lower case, none across a space):
`cuilong_bigrams(name, email)` is an immutable SQL function; each searched table stores its
result in a generated column, `search_pairs`, which PostgreSQL keeps current on every write
(saves, imports' bulk writes, merges, raw updates alike) and a GIN index serves. A search first
asks for the rows holding all of the term's pairs (`@>`), then checks the real substring on
those few. The column, not an index over the function: where the access filter is the narrower
condition, the planner reads the user's rows and tests the pairs on each, and computing them
row by row cost 50 µs a row (120 ms for a manager's 2,500 accounts holding 集团).
SQLite has neither: its search stays the plain scan.
"""

from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL

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


COLUMN = "search_pairs"
STATISTICS = 1000

# The fields the search box reads, per table, in the order of search/selectors.py's KINDS
# (tests/search/test_search_index.py keeps the two the same). A migration that changes the
# type of one of these fields must drop the column first (`drop_columns`): PostgreSQL refuses
# to alter a column a generated column reads. The next migrate's `install` remakes it.
INDEXED = {
    "accounts_account": ("name", "email", "website"),
    "accounts_contact": ("name", "email", "wechat"),
    "opportunities_opportunity": ("name",),
    "relationships_activity": ("next_step", "notes", "outcome"),
}
# The expression indexes of the first version (migrations "search_bigrams"), dropped by install.
OLD_INDEXES = (
    "account_search_pairs_idx",
    "contact_search_pairs_idx",
    "opportunity_search_pairs_idx",
    "activity_search_pairs_idx",
)


def install_function(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(FUNCTION)


def install(connection) -> None:
    """On PostgreSQL: create (or refresh) the SQL function, then give each table of INDEXED its
    generated column and GIN index, remaking a column whose fields changed. Idempotent: runs
    after every migrate, also where the tables were made without migrations (the tests)."""
    if connection.vendor != "postgresql":
        return
    install_function(connection)
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for name in OLD_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for table, fields in INDEXED.items():
            if table not in existing:
                continue
            # The column's comment names its fields: a change of fields remakes it.
            cursor.execute(
                "SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a "
                "WHERE a.attrelid = %s::regclass AND a.attname = %s AND NOT a.attisdropped",
                [table, COLUMN],
            )
            row = cursor.fetchone()
            if row is not None and row[0] != ",".join(fields):
                cursor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")
                row = None
            if row is None:
                cursor.execute(
                    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} text[] "
                    f"GENERATED ALWAYS AS (cuilong_bigrams({', '.join(fields)})) STORED"
                )
                cursor.execute(f"COMMENT ON COLUMN {table}.{COLUMN} IS %s", [",".join(fields)])
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(table)} ON {table} USING gin ({COLUMN})"
            )
            # A long list of the most common pairs, so that PostgreSQL knows a rare pair (集团
            # in two activities) is rare: with the default list it guessed 1,500 rows and read
            # the user's 38,000 activities beside the index (docs/performance.md).
            cursor.execute(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname = %s",
                [table, COLUMN],
            )
            if cursor.fetchone()[0] != STATISTICS:
                cursor.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {COLUMN} SET STATISTICS {STATISTICS}"
                )
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
                if cursor.fetchone()[0]:  # an empty table keeps the planner's defaults
                    cursor.execute(f"ANALYZE {table} ({COLUMN})")


def drop_columns(schema_editor, tables) -> None:
    """A migration's step before it changes a searched field (see INDEXED)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")


def index_name(table: str) -> str:
    return f"{table}_pairs_gin"


def create_indexes(schema_editor, indexes: dict) -> None:
    """The first version's migration step; its indexes give way to the columns (install)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install_function(connection)
    with connection.cursor() as cursor:
        for name, (table, fields) in indexes.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (cuilong_bigrams({', '.join(fields)}))"
            )


def drop_indexes(schema_editor, indexes: dict) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def holding(model, term: str, connection) -> Q:
    """Rows whose searched fields hold every pair of characters of `term` (PostgreSQL), which
    every row containing `term` does: a condition that only narrows, served by the index. Empty
    (no narrowing) on other databases."""
    if connection.vendor != "postgresql":
        return Q()
    table = model._meta.db_table
    return Q(
        RawSQL(
            f'"{table}"."{COLUMN}" @> cuilong_bigrams(%s::text)',
            [term],
            output_field=models.BooleanField(),
        )
    )
