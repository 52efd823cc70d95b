"""Who a company is and its likely duplicates (issue 20): the 统一社会信用代码, the company
name key and its SQL twin, the warnings on create and edit, and the duplicates page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts import duplicates
from accounts.identity import LEGAL_FORMS, SEPARATORS, clean_uscc, company_key, web_domain
from accounts.models import Account, Contact
from tests.factories import AccountFactory, ContactFactory

VALID = "91110000600037341L"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (VALID, VALID),
        ("91110000600037341l", VALID),  # lower case
        ("9111 0000 6000 3734 1L", VALID),  # spaces
        ("", ""),
        ("91110000600037341X", "check digit"),
        ("9111000060003734", "18 characters"),
        ("911100006000373411L", "18 characters"),
        ("91110000600037341I", "not a unified social credit code"),
        ("江南银行股份有限公司", "18 characters"),
        ("91110000600037341?", "not a unified social credit code"),
    ],
)
def test_the_unified_social_credit_code(typed, expected):
    if expected == "" or expected == VALID:
        assert clean_uscc(typed) == expected
    else:
        with translation.override("en"):
            with pytest.raises(ValidationError) as error:
                clean_uscc(typed)
            assert expected in error.value.messages[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("江南银行股份有限公司", "江南银行"),
        ("江南银行（苏州）有限公司", "江南银行(苏州)"),
        ("江南银行 有限责任公司", "江南银行"),
        ("Evergreen Logistics Co., Ltd.", "evergreen logistics"),
        ("EVERGREEN-LOGISTICS LIMITED", "Evergreen Logistics"),
        ("宁波港股份", "宁波港"),
    ],
)
def test_names_that_differ_only_in_legal_form_share_a_key(a, b):
    assert company_key(a) == company_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [("江南银行", "江北银行"), ("江南银行", "江南银行苏州分行"), ("宁波港集团", "宁波港")],
)
def test_different_companies_keep_different_keys(a, b):
    assert company_key(a) != company_key(b)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.jnbank.cn/about", "jnbank.cn"),
        ("http://JNBANK.cn", "jnbank.cn"),
        ("jnbank.cn/x", "jnbank.cn"),
        ("", ""),
    ],
)
def test_the_web_domain(url, domain):
    assert web_domain(url) == domain


NAME_PARTS = st.lists(
    st.sampled_from(["江南", "银行", "A", "b", "1", *LEGAL_FORMS, *SEPARATORS]), max_size=8
).map("".join)


class TestTheSqlKeyAgreesWithTheRule(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(names=st.lists(NAME_PARTS, min_size=1, max_size=4))
    def test_agreement(self, names):
        owner = AccountFactory().owner
        for name in names:
            AccountFactory(owner=owner, name=name[:200] or "x")
        rows = Account.objects.annotate(key=duplicates.company_key_expression())
        for account in rows:
            assert account.key == company_key(account.name)
        Account.objects.all().delete()


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def bank(personas):
    return AccountFactory(
        owner=personas.owner,
        name="江南银行股份有限公司",
        uscc=VALID,
        phone="0512-6666 8888",
        website="https://www.jnbank.cn",
    )


def post_account(client, data, url=None):
    payload = {"name": "", "status": "target", "owner": data.pop("owner"), **data}
    return client.post(url or reverse("accounts:create"), payload, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"name": "江南银行"}, "same name"),
        ({"name": "江南银行（总行）有限公司"}, None),  # the brackets' content stays: another name
        ({"name": "苏州新客户", "phone": "+86 512 6666 8888"}, "same phone"),
        ({"name": "苏州新客户", "website": "jnbank.cn"}, "same website"),
    ],
)
def test_creating_a_look_alike_warns_before_saving(client_for, personas, bank, data, reason):
    client = client_for(personas.owner)
    before = Account.objects.count()
    response = post_account(client, {**data, "owner": personas.owner.pk})
    if reason is None:
        assert response.status_code == 302
        return
    body = response.content.decode()
    assert response.status_code == 200 and Account.objects.count() == before
    assert reason in body and reverse("accounts:detail", args=[bank.pk]) in body
    assert "Save anyway" in body
    # Saving anyway, having seen exactly these, creates it.
    confirmation = response.context["confirmation"]
    response = post_account(
        client, {**data, "owner": personas.owner.pk, "duplicates_seen": confirmation}
    )
    assert response.status_code == 302 and Account.objects.count() == before + 1


@pytest.mark.django_db
def test_the_same_code_is_refused_for_everyone(client_for, personas, bank):
    response = post_account(
        client_for(personas.outsider),
        {"name": "别的公司", "uscc": VALID.lower(), "owner": personas.outsider.pk},
    )
    assert response.status_code == 200
    assert "already has this unified social credit code" in response.content.decode()
    assert response.context["duplicates"] == []  # the rival sees no link to team 1's account


@pytest.mark.django_db
def test_a_wrong_check_digit_is_refused_at_the_field(client_for, personas):
    response = post_account(
        client_for(personas.owner),
        {"name": "新客户", "uscc": "91110000600037341X", "owner": personas.owner.pk},
    )
    assert response.context["form"].errors["uscc"] == [
        "This unified social credit code's check digit is wrong: check the code."
    ]


@pytest.mark.django_db
def test_a_rival_is_not_warned_about_accounts_they_cannot_see(client_for, personas, bank):
    response = post_account(
        client_for(personas.outsider), {"name": "江南银行", "owner": personas.outsider.pk}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_bad_phone_number_is_refused_and_a_good_one_stored_once(client_for, personas):
    client = client_for(personas.owner)
    response = post_account(
        client, {"name": "新客户", "phone": "95588", "owner": personas.owner.pk}
    )
    assert "is not a phone number" in response.context["form"].errors["phone"][0]
    post_account(client, {"name": "新客户", "phone": "0512 6666-8888", "owner": personas.owner.pk})
    assert Account.objects.get(name="新客户").phone == "+8651266668888"


@pytest.mark.django_db
def test_a_second_person_with_the_same_mobile_is_flagged(client_for, personas, bank):
    ContactFactory(account=bank, name="周敏", mobile="+8613800138000", email="zm@jnbank.cn")
    client = client_for(personas.owner)
    url = reverse("accounts:contact_create", args=[bank.pk])
    data = {"name": "周敏敏", "function": "user", "level": "operational", "mobile": "138-0013-8000"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "same mobile" in response.content.decode()
    assert Contact.objects.filter(account=bank).count() == 1
    data["duplicates_seen"] = response.context["confirmation"]
    assert client.post(url, data).status_code == 302
    assert Contact.objects.filter(account=bank).count() == 2


@pytest.mark.django_db
def test_an_edit_that_does_not_touch_the_identity_does_not_nag(client_for, personas, bank):
    AccountFactory(owner=personas.owner, name="江南银行")
    client = client_for(personas.owner)
    url = reverse("accounts:edit", args=[bank.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "collaborators"}
    data.update(notes="会议纪要", owner=personas.owner.pk, phone="0512-6666 8888")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.django_db
def test_the_duplicates_page_groups_look_alikes(client_for, personas, bank):
    AccountFactory(owner=personas.teammate, name="江南银行")
    AccountFactory(owner=personas.teammate, name="别家", phone="0512-6666 8888")
    AccountFactory(owner=personas.outsider, name="江南银行有限公司")
    response = client_for(personas.manager).get(
        reverse("accounts:duplicates"), HTTP_ACCEPT_LANGUAGE="en"
    )
    groups = response.context["groups"]
    assert len(groups) == 2
    assert sorted(len(accounts) for _reason, accounts in groups) == [2, 2]
    assert all(a.owner != personas.outsider for _r, accounts in groups for a in accounts)


@pytest.mark.django_db
def test_a_rep_has_no_duplicates_page(client_for, personas):
    assert client_for(personas.owner).get(reverse("accounts:duplicates")).status_code == 404
