"""The search's index of pairs of characters (crm/bigrams.py): the migrations index exactly
the fields each kind searches, in the same order; on PostgreSQL the pairs of a text hold the
pairs of every piece of it (so narrowing by them loses no match), and the search's query is
served by the index, a two-character Chinese term included."""

import importlib

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.bigrams import index_sql
from search.selectors import KINDS, MODELS, matching

MIGRATIONS = {
    "accounts": "accounts.migrations.0011_search_bigrams",
    "contacts": "accounts.migrations.0011_search_bigrams",
    "opportunities": "opportunities.migrations.0017_search_bigrams",
    "activities": "relationships.migrations.0012_search_bigrams",
}
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index is PostgreSQL's; SQLite scans"
)


def indexes():
    found = {}
    for module in set(MIGRATIONS.values()):
        found.update(importlib.import_module(module).INDEXES)
    return found


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_each_kind_has_an_index_over_what_it_searches(kind):
    table = MODELS[kind.key]._meta.db_table
    assert (table, (kind.names, *kind.fields)) in indexes().values()


def pairs(*texts):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cuilong_bigrams(VARIADIC %s::text[])", [list(texts)])
        return set(cursor.fetchone()[0])


@postgresql_only
@pytest.mark.django_db
def test_the_pairs_of_a_record():
    assert pairs("江南 银行集团", None, "Ab") == {"江南", "银行", "行集", "集团", "ab"}
    assert pairs("", None) == set()


@postgresql_only
@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(
    text=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=2, max_size=40),
    data=st.data(),
)
def test_a_piece_of_a_text_has_no_pair_the_text_lacks(text, data):
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 2, len(text)))
    assert pairs(text[start:end]) <= pairs(text)


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_the_search_of_each_kind_is_served_by_its_index(kind, personas):
    table = MODELS[kind.key]._meta.db_table
    name, (table, fields) = next(
        (name, spec)
        for name, spec in indexes().items()
        if spec == (table, (kind.names, *kind.fields))
    )
    with connection.cursor() as cursor:  # the tests' tables are made without migrations
        cursor.execute(index_sql(table, name, fields))
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = matching(kind, MODELS[kind.key].objects.visible_to(personas.manager), "集团")
    assert name in queryset.explain()
