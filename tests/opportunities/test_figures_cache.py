"""The pipeline's figures are cached until the data under them changes (crm/figures.py): after
any kind of write — a service, a queryset update, a bulk insert, raw SQL, a delete, a new team
member — the page shows exactly what a computation from scratch shows (issue 24)."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from crm import figures
from crm.models import Membership
from opportunities.deals import services
from opportunities.models import Comment, MoveProbabilitySetting, Opportunity, Status
from tests.factories import UserFactory
from tests.opportunities.pipeline_data import make_deal

pytestmark = pytest.mark.django_db
PAGE = reverse("opportunities:pipeline")


CSRF = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+"')


def served(client) -> bytes:
    """The page, without its CSRF tokens (a new one is masked into every response)."""
    response = client.get(PAGE)
    assert response.status_code == 200
    return CSRF.sub(rb"\1", response.content)


def from_scratch(client) -> bytes:
    cache.clear()
    return served(client)


def test_a_second_view_reads_the_cache_and_a_write_is_seen_at_once(personas, client_for):
    client = client_for(personas.manager)
    deal = make_deal(personas.owner, move=2, amount="1000")
    before = served(client)
    assert served(client) == before
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("987654"))
    after = served(client)
    assert after != before and "987,654" in after.decode() or "987654" in after.decode()
    assert after == from_scratch(client)


@pytest.mark.parametrize(
    "write",
    [
        "raw_sql",
        "bulk_create",
        "delete",
        "setting",
        "membership",
        "many_to_many",
    ],
)
def test_every_kind_of_write_moves_the_generation(personas, write):
    deal = make_deal(personas.owner, move=2)
    start = figures.generation()
    if write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE opportunities_opportunity SET amount = 5 WHERE id = %s", [deal.pk]
            )
    elif write == "bulk_create":
        Opportunity.objects.bulk_create([Opportunity(**{**_fields(deal), "name": "copy"})])
    elif write == "delete":
        deal.delete()
    elif write == "setting":
        MoveProbabilitySetting.objects.update_or_create(move=2, defaults={"probability": 33})
    elif write == "membership":
        team = personas.manager.memberships.get().team
        Membership.objects.create(team=team, user=UserFactory())
    elif write == "many_to_many":  # a table Django makes for a many-to-many field
        comment = Comment.objects.create(opportunity=deal, author=personas.owner, body="x")
        start = figures.generation()
        comment.mentioned.add(personas.manager)
    assert figures.generation() != start


def _fields(deal):
    return {
        field.attname: getattr(deal, field.attname)
        for field in Opportunity._meta.concrete_fields
        if field.attname not in ("id",)
    }


class Pipeline(RuleBasedStateMachine):
    """Writes of every kind, in any order: the page the manager is served always equals the
    page computed from nothing."""

    personas = None
    client = None

    @initialize()
    def start(self):
        self.deals = [make_deal(self.personas.owner, move=1, amount="1000")]

    @rule(amount=st.integers(min_value=1, max_value=10**6))
    def create(self, amount):
        self.deals.append(make_deal(self.personas.owner, move=1, amount=str(amount)))

    @rule(
        index=st.integers(min_value=0, max_value=20), to_move=st.integers(min_value=1, max_value=5)
    )
    def move(self, index, to_move):
        deal = self.pick(index)
        if deal is None or deal.status != Status.OPEN or deal.move == to_move:
            return
        services.change_move(
            deal, to_move=to_move, by=self.personas.manager, override=True, reason="评审通过"
        )

    @rule(index=st.integers(min_value=0, max_value=20), status=st.sampled_from(["won", "lost"]))
    def close(self, index, status):
        deal = self.pick(index)
        if deal is None or deal.status != Status.OPEN:
            return
        data = {"lost_reason": "预算取消", "lost_at_buyer_stage": "evaluate", "lost_to": None}
        services.set_outcome(
            deal,
            status=status,
            by=self.personas.manager,
            data=data,
            override=True,
            reason="评审通过",
        )

    @rule(index=st.integers(min_value=0, max_value=20))
    def reassign(self, index):
        deal = self.pick(index)
        if deal is not None:
            Opportunity.objects.filter(pk=deal.pk).update(owner=self.personas.teammate)

    @rule(index=st.integers(min_value=0, max_value=20))
    def delete(self, index):
        deal = self.pick(index)
        if deal is not None:
            deal.delete()
            self.deals.remove(deal)

    def pick(self, index):
        if not self.deals:
            return None
        deal = self.deals[index % len(self.deals)]
        deal.refresh_from_db()
        return deal

    @invariant()
    def served_equals_from_scratch(self):
        assert served(self.client) == from_scratch(self.client)


def test_the_page_is_never_stale_after_a_write(personas, client_for):
    Pipeline.personas = personas
    Pipeline.client = client_for(personas.manager)
    Pipeline.TestCase.settings = settings(
        max_examples=8,
        stateful_step_count=6,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    Pipeline.TestCase().runTest()


def test_without_the_cache_every_view_computes(personas, client_for, settings):
    settings.FIGURES_CACHE = False
    client = client_for(personas.manager)
    make_deal(personas.owner, move=2)
    with CaptureQueriesContext(connection) as first:
        served(client)
    with CaptureQueriesContext(connection) as second:
        served(client)
    assert len(first) == len(second) > 15
