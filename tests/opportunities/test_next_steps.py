"""A deal's next step is a to-do: ticking it off records it and asks for the next one."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from opportunities.models import Opportunity
from relationships.models import Todo
from tests.opportunities.factories import OpportunityFactory

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def open_deal(personas):
    return OpportunityFactory(
        account__owner=personas.owner,
        next_step="Meet the CFO",
        next_step_date=dt.date(2026, 3, 1),
    )


def test_ticking_off_the_next_step_asks_for_the_next(open_deal, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("opportunities:next_step_done", args=[open_deal.pk])
    response = client.post(url, {"next_step": "", "next_step_date": ""})
    assert set(response.context["form"].errors) == {"next_step", "next_step_date"}
    response = client.post(
        url, {"next_step": "Demo for IT", "next_step_date": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The next step cannot be in the past." in response.content.decode()
    response = client.post(url, {"next_step": "Demo for IT", "next_step_date": "2026-03-06"})
    assert response.status_code == 302
    deal = Opportunity.objects.get(pk=open_deal.pk)
    assert (deal.next_step, deal.next_step_date) == ("Demo for IT", dt.date(2026, 3, 6))
    assert deal.history.first().history_change_reason == "next step done"
    done = Todo.objects.get(opportunity=deal)
    assert (done.title, done.due_date, done.done_at) == ("Meet the CFO", dt.date(2026, 3, 1), NOW)


def test_a_closed_deal_has_no_next_step_to_tick(open_deal, personas, client_for):
    Opportunity.objects.filter(pk=open_deal.pk).update(
        status="won", move=6, next_step="", next_step_date=None, closed_at=NOW
    )
    client = client_for(personas.owner)
    url = reverse("opportunities:next_step_done", args=[open_deal.pk])
    response = client.post(
        url, {"next_step": "x", "next_step_date": "2026-03-06"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Only an open opportunity has a next step to tick off." in response.content.decode()
    assert not Todo.objects.exists()


def test_a_todo_on_a_deal(open_deal, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("opportunities:todo_for_deal", args=[open_deal.pk])
    client.post(url, {"title": "Send the reference list", "due_date": "2026-03-04"})
    todo = Todo.objects.get()
    assert (todo.opportunity_id, todo.account_id) == (open_deal.pk, open_deal.account_id)
