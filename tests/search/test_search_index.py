"""The search's index of pairs of characters (crm/bigrams.py): each kind's table stores the
pairs of exactly the fields it searches, in the same order; on PostgreSQL the pairs of a text
hold the pairs of every piece of it (so narrowing by them loses no match), the stored column
follows every write, and the search's query is served by the index, a two-character Chinese
term included."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.bigrams import INDEXED, index_name
from search.selectors import KINDS, MODELS, matching

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index is PostgreSQL's; SQLite scans"
)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_each_kind_stores_the_pairs_of_what_it_searches(kind):
    assert INDEXED[MODELS[kind.key]._meta.db_table] == (kind.names, *kind.fields)


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
def test_the_stored_pairs_follow_every_write(personas):
    from accounts.models import Account

    account = Account.objects.create(name="江南银行", owner=personas.owner)
    Account.objects.filter(pk=account.pk).update(name="北方集团")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_pairs FROM accounts_account WHERE id = %s", [account.pk])
        assert set(cursor.fetchone()[0]) == {"北方", "方集", "集团"}
    assert list(matching(KINDS[0], Account.objects.all(), "集团")) == [account]
    assert not matching(KINDS[0], Account.objects.all(), "银行").exists()


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_the_search_of_each_kind_is_served_by_its_index(kind):
    """The term's condition is one the index answers. On the suite's small tables the planner
    rightly prefers to read them whole (and, once they are analyzed, by any index in order), so
    those plans are off; over every row (no access filter, whose own indexes could start a
    bitmap scan), what remains can only start from the pairs' index."""
    table = MODELS[kind.key]._meta.db_table
    with connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
    queryset = matching(kind, MODELS[kind.key].objects.all(), "集团")
    assert index_name(table) in queryset.explain()
