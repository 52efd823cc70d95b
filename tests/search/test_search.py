"""The one search box (issue 20): the term's bounds, number matching, best match first, the
access policy on every kind, both pages and their query counts."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from crm.phones import digits_of
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from search.selectors import TERM_MAX, TermError, clean_term, search
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory

RESULTS = reverse("search:results")
SUGGEST = reverse("search:suggest")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("集团", "集团"),
        ("  周  敏 ", "周 敏"),
        ("ab", "ab"),
        ("a", TermError),
        ("  x  ", TermError),
        ("", TermError),
        (None, TermError),
        ("字" * TERM_MAX, "字" * TERM_MAX),
        ("字" * (TERM_MAX + 1), TermError),
        ("a" * 2000, TermError),
    ],
)
def test_the_term_has_bounds(raw, expected):
    if expected is TermError:
        with pytest.raises(TermError):
            clean_term(raw)
    else:
        assert clean_term(raw) == expected


@pytest.mark.parametrize(
    ("term", "digits"),
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "8613800138000"),
        ("0013", "0013"),
        ("138", ""),  # too short to be a number worth matching
        ("周敏 138", ""),  # a name with digits is not a number
        ("１３８００１３８０００", ""),  # full-width digits: not ASCII, searched as text
        ("2026年", ""),
    ],
)
def test_a_number_is_matched_on_its_digits(term, digits):
    assert digits_of(term) == digits


@given(st.text(max_size=30))
def test_digits_are_always_ascii_and_from_the_term(term):
    digits = digits_of(term)
    assert digits == "" or (
        digits.isascii()
        and digits.isdigit()
        and digits in "".join(ch for ch in term if ch not in " -+()（）.")
    )


def a_type():
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    return ActivityType.objects.order_by("pk").first()


@pytest.fixture
def book(personas, db):
    visit = a_type()
    bank = AccountFactory(owner=personas.owner, name="江南集团", phone="0512-6666 8888")
    near = AccountFactory(owner=personas.owner, name="集团", email="info@jituan.cn")
    later = AccountFactory(owner=personas.owner, name="苏州江南集团分公司")
    rival = AccountFactory(owner=personas.outsider, name="集团竞对")
    ContactFactory(account=bank, name="周敏", mobile="13800138000", wechat="zhoumin_jn")
    ContactFactory(account=rival, name="周敏", mobile="13800138000")
    OpportunityFactory(account=bank, name="集团核心系统升级")
    OpportunityFactory(account=rival, name="集团竞对项目")
    ActivityFactory(account=bank, owner=personas.owner, type=visit, next_step="寄送集团方案")
    return {"bank": bank, "near": near, "later": later}


def names(groups, key):
    for group in groups:
        if group.kind.key == key:
            return [getattr(hit, "name", None) or hit.next_step for hit in group.hits]
    return []


@pytest.mark.django_db
def test_best_match_first_and_only_what_the_user_may_see(personas, book):
    groups = search(personas.owner, "集团", per_kind=10)
    accounts = names(groups, "accounts")
    assert accounts[0] == "集团" and set(accounts[1:]) == {"江南集团", "苏州江南集团分公司"}
    assert "集团竞对" not in names(groups, "accounts")
    assert names(groups, "opportunities") == ["集团核心系统升级"]
    assert names(groups, "activities") == ["寄送集团方案"]


@pytest.mark.django_db
def test_an_exact_name_ranks_above_a_prefix_above_a_contained_name(personas, book):
    accounts = names(search(personas.owner, "集团", per_kind=10), "accounts")
    assert accounts.index("集团") < accounts.index("江南集团")
    AccountFactory(owner=personas.owner, name="集团二号")
    accounts = names(search(personas.owner, "集团", per_kind=10), "accounts")
    assert accounts[:2] == ["集团", "集团二号"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "kind", "expected"),
    [
        ("138-0013-8000", "contacts", ["周敏"]),
        ("0013 8000", "contacts", ["周敏"]),
        ("zhoumin", "contacts", ["周敏"]),
        ("6666", "accounts", ["江南集团"]),
        ("6666 8888", "accounts", ["江南集团"]),
        ("(0512) 6666-8888", "accounts", ["江南集团"]),
        ("+86 512 6666 8888", "accounts", ["江南集团"]),
        ("jituan.cn", "accounts", ["集团"]),
        ("INFO@JITUAN", "accounts", ["集团"]),
    ],
)
def test_numbers_e_mails_and_wechat_ids(personas, book, term, kind, expected):
    assert names(search(personas.owner, term, per_kind=10), kind) == expected


@pytest.mark.django_db
def test_an_outsider_finds_only_their_own_team(personas, book):
    groups = search(personas.outsider, "集团", per_kind=10)
    assert names(groups, "accounts") == ["集团竞对"]
    assert names(groups, "opportunities") == ["集团竞对项目"]
    assert names(groups, "activities") == []
    assert names(search(personas.outsider, "13800138000", per_kind=10), "contacts") == ["周敏"]
    contact = search(personas.outsider, "13800138000", per_kind=10)[1].hits[0]
    assert contact.account.owner == personas.outsider


@pytest.mark.django_db
def test_the_suggestions_say_when_there_is_more(personas, book):
    for i in range(4):
        AccountFactory(owner=personas.owner, name=f"集团{i}")
    group = search(personas.owner, "集团", per_kind=5)[0]
    assert len(group.hits) == 5 and group.more


@pytest.mark.django_db
def test_the_results_page_groups_by_kind_and_links_each_hit(client_for, personas, book):
    response = client_for(personas.owner).get(RESULTS, {"q": "集团"}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("accounts:detail", args=[book["near"].pk]) in body
    assert "集团竞对" not in body
    assert [g.kind.key for g in response.context["groups"]] == [
        "accounts",
        "opportunities",
        "activities",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "message"), [("周", "at least two"), ("周" * 2000, "at most 100")])
def test_a_bad_term_gets_a_message_not_a_search(client_for, personas, book, q, message):
    for url in (RESULTS, SUGGEST):
        response = client_for(personas.owner).get(url, {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["groups"] == []


@pytest.mark.django_db
def test_the_suggestions_in_chinese(client_for, personas, book):
    response = client_for(personas.owner).get(
        SUGGEST, {"q": "无此人"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "没有与“无此人”匹配的结果" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("url", [RESULTS, SUGGEST])
def test_a_search_costs_one_query_per_kind(
    client_for, personas, django_assert_num_queries, size, url
):
    visit = a_type()
    for i in range(size):
        account = AccountFactory(owner=personas.owner, name=f"集团 {i}")
        ContactFactory(account=account, name=f"集团联系人 {i}")
        OpportunityFactory(account=account, name=f"集团项目 {i}")
        ActivityFactory(account=account, owner=personas.owner, type=visit, notes="集团")
    client = client_for(personas.owner)
    client.get(url, {"q": "集团"})
    # session, user; one statement per kind (accounts, contacts, opportunities, activities),
    # and the accounts shown, read after their ids are ranked.
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "集团"})
    assert sum(len(g.hits) for g in response.context["groups"]) == 4 * min(
        size, 5 if url == SUGGEST else 20
    )
