"""Comments with @-mentions on deals and accounts (issue 21): who is told (only people who may
see the record, in their own language), who is named back as not told, bad input kept at the
field, comments on the timelines, seen with their record only."""

import pytest
from django.urls import reverse
from django.utils import translation

from crm.notifications.models import Notification
from opportunities.deals import comments
from opportunities.models import Comment
from tests.factories import AccountFactory
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def deal(personas):
    return OpportunityFactory(account=AccountFactory(owner=personas.owner, name="江南银行"))


def timeline_url(of, pk):
    return reverse("opportunities:timeline", args=[of, pk])


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("@manager 请看一下", ["manager"]),
        ("ping @owner, @teammate.", ["owner", "teammate"]),
        ("mail me at li@example.com", []),  # an e-mail address is no mention
        ("@@owner @", []),
        ("@owner @owner", ["owner"]),
    ],
)
def test_the_names_a_comment_mentions(body, names):
    assert comments.mentioned_names(body) == names


def test_only_people_who_may_see_the_deal_are_told(deal, personas):
    personas.manager.language = "zh-hans"
    personas.manager.save()
    posted = comments.post(
        deal, author=personas.owner, body="@manager @outsider @nobody @owner 客户要求降价"
    )
    assert posted.told == [personas.manager]
    assert posted.not_told == ["nobody", "outsider"]
    note = Notification.objects.get()
    assert note.user == personas.manager and note.kind == "mention"
    assert note.title == f"{personas.owner} 在 {deal.name} 中提到了你"
    assert note.url == timeline_url("deal", deal.pk) + "?kind=comment"
    assert list(posted.comment.mentioned.all()) == [personas.manager]
    assert posted.comment.account_id == deal.account_id


def test_a_comment_is_seen_with_its_record_only(deal, personas):
    comments.post(deal, author=personas.manager, body="coaching: ask about the budget")
    assert Comment.objects.visible_to(personas.owner).count() == 1
    assert Comment.objects.visible_to(personas.outsider).count() == 0


def test_a_comment_through_the_timeline_page(deal, personas, client_for):
    client = client_for(personas.manager)
    response = client.post(
        timeline_url("deal", deal.pk), {"body": "Coaching: who signs? @owner"}, **EN
    )
    assert response.status_code == 302
    page = client.get(timeline_url("deal", deal.pk) + "?kind=comment", **EN)
    assert [entry.lines for entry in page.context["entries"]] == [["Coaching: who signs? @owner"]]
    account_page = client.get(timeline_url("account", deal.account_id), **EN)
    comment = next(e for e in account_page.context["entries"] if e.kind == "comment")
    assert comment.lines == [deal.name, "Coaching: who signs? @owner"]
    assert Notification.objects.get().user == personas.owner


@pytest.mark.parametrize(
    ("body", "error"), [("", "This field is required."), ("x" * 2001, "at most 2000")]
)
def test_a_bad_comment_is_kept_on_the_form(deal, personas, client_for, body, error):
    response = client_for(personas.owner).post(timeline_url("deal", deal.pk), {"body": body}, **EN)
    assert response.status_code == 200
    assert error in response.context["form"].errors["body"][0]
    assert response.context["form"]["body"].value() == body
    assert not Comment.objects.exists()
