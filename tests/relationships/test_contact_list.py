"""The contact list (issue 20): search by name, number, e-mail or WeChat ID, the filters, the
access policy, pagination, the export and a fixed number of queries."""

import pytest
from django.urls import reverse

from relationships.filters import QUERY_MAX
from relationships.models import Personality, Stage
from tests.factories import AccountFactory, ContactFactory, RelationshipFactory

pytestmark = pytest.mark.django_db
URL = reverse("relationships:contact_list")


@pytest.fixture
def people(personas):
    bank = AccountFactory(owner=personas.owner, name="江南银行")
    port = AccountFactory(owner=personas.teammate, name="宁波港")
    rival = AccountFactory(owner=personas.outsider, name="Rival Co")
    zhou = ContactFactory(
        account=bank,
        name="周敏",
        mobile="13800138000",
        email="zhou.min@jnbank.cn",
        level="decision",
        function="procurement",
    )
    RelationshipFactory(contact=zhou, stage=Stage.TRUST, personality=Personality.OWL)
    lin = ContactFactory(
        account=bank, name="林珊", wechat="linshan_88", is_guide=True, function="technical"
    )
    RelationshipFactory(contact=lin, stage=Stage.ALLIANCE, personality=Personality.PEACOCK)
    ContactFactory(account=port, name="孙浩", phone="0574-8765 4321", level="management")
    ContactFactory(account=rival, name="周敏", mobile="13900139000")
    return {"bank": bank, "port": port, "rival": rival}


def names(response):
    return [contact.name for contact in response.context["page"].object_list]


def test_a_rep_sees_the_people_of_their_own_accounts(client_for, personas, people):
    assert names(client_for(personas.owner).get(URL)) == ["周敏", "林珊"]


def test_a_manager_sees_the_team_and_never_another_team(client_for, personas, people):
    assert sorted(names(client_for(personas.manager).get(URL))) == ["周敏", "孙浩", "林珊"]
    assert names(client_for(personas.outsider).get(URL)) == ["周敏"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=周敏", ["周敏"]),
        ("q=13800138000", ["周敏"]),
        ("q=0013", ["周敏"]),
        ("q=ZHOU.MIN@", ["周敏"]),
        ("q=linshan", ["林珊"]),
        ("q=87654321", ["孙浩"]),
        ("q=0574-8765 4321", ["孙浩"]),
        ("q=+86 574 8765 4321", ["孙浩"]),
        ("q=138-0013-8000", ["周敏"]),
        ("q=8765", ["孙浩"]),
        ("q=周", ["周敏", "孙浩", "林珊"]),  # one character does not narrow the list
        ("level=decision", ["周敏"]),
        ("function=technical", ["林珊"]),
        ("stage=3", ["周敏"]),
        ("stage=1", ["孙浩"]),  # no relationship row yet: the first rung
        ("personality=peacock", ["林珊"]),
        ("personality=unknown", ["孙浩"]),
        ("guide=true", ["林珊"]),
        ("guide=false", ["周敏", "孙浩"]),
        ("sort=-stage", ["林珊", "周敏", "孙浩"]),
        ("sort=account", ["孙浩", "周敏", "林珊"]),  # 宁波港 before 江南银行 (code points)
    ],
)
def test_search_filters_and_sort(client_for, personas, people, query, expected):
    response = client_for(personas.manager).get(f"{URL}?{query}")
    if query.startswith("sort="):
        assert names(response) == expected
    else:
        assert sorted(names(response)) == sorted(expected)


def test_the_people_of_one_account(client_for, personas, people):
    response = client_for(personas.manager).get(f"{URL}?account={people['port'].pk}")
    assert names(response) == ["孙浩"]
    assert response.context["account"] == people["port"]
    assert "宁波港" in response.content.decode()


def test_an_account_out_of_reach_shows_nobody(client_for, personas, people):
    response = client_for(personas.owner).get(f"{URL}?account={people['rival'].pk}")
    assert names(response) == [] and response.context["account"] is None


def test_filter_by_account_owner(client_for, personas, people):
    response = client_for(personas.manager).get(f"{URL}?owner={personas.teammate.pk}")
    assert names(response) == ["孙浩"]
    owners = list(response.context["filter"].filters["owner"].queryset)
    assert sorted(u.username for u in owners) == sorted(
        [personas.owner.username, personas.teammate.username]
    )


def test_a_search_longer_than_any_name_is_refused_at_the_field(client_for, personas, people):
    response = client_for(personas.owner).get(
        f"{URL}?q={'周' * (QUERY_MAX + 1)}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"]
    assert "at most 100 characters" in response.content.decode()


def test_pages_keep_the_filters(client_for, personas):
    account = AccountFactory(owner=personas.owner)
    ContactFactory.create_batch(30, account=account, level="management")
    response = client_for(personas.owner).get(f"{URL}?level=management&sort=name")
    assert len(names(response)) == 25
    assert "?level=management&amp;sort=name&amp;page=2" in response.content.decode()


def test_the_export_has_the_rows_of_the_list(client_for, personas, people):
    url = reverse("opportunities:export", args=["contact_list", "csv"])
    body = b"".join(client_for(personas.manager).get(f"{url}?level=decision").streaming_content)
    text = body.decode("utf-8-sig")
    assert "周敏" in text and "林珊" not in text and "13900139000" not in text
    assert "hometown" not in text.lower()


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, size
):
    for i in range(size):
        account = AccountFactory(owner=personas.owner)
        contact = ContactFactory(account=account, name=f"联系人 {i}")
        RelationshipFactory(contact=contact, stage=Stage.TRUST)
    client = client_for(personas.owner)
    client.get(URL)
    # session, user; saved views; owner choices; count, the page's ids, its people (accounts,
    # owners, departments and relationships joined).
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(names(response)) == size
