"""Report reads go to the read replica's alias when there is one (crm/replica.py); writes,
and the pages one edits on, stay on the primary. Two aliases: `replica` mirrors the test
database (tests/settings.py), so the rows are the same and the queries tell where they went."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm import replica
from tests.factories import AccountFactory
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture
def on_replica(settings):
    settings.REPORTS_ON_REPLICA = True


@pytest.fixture
def deals(personas):
    account = AccountFactory(owner=personas.owner)
    return [OpportunityFactory(account=account, owner=personas.owner) for _ in range(3)]


def queries_on(alias, call):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = call()
    return response, len(captured)


def test_the_pipeline_reads_from_the_replica(on_replica, personas, deals, client_for):
    client = client_for(personas.manager)
    url = reverse("opportunities:pipeline")
    with CaptureQueriesContext(connections["default"]) as primary:
        response, on_the_replica = queries_on("replica", lambda: client.get(url))
    assert response.status_code == 200
    assert on_the_replica > 5, "the figures were read on the replica"
    figures = [q["sql"] for q in primary if "opportunities_opportunity" in q["sql"]]
    assert figures == [], "no figure was read on the primary"


def test_a_download_streams_from_the_replica(on_replica, personas, deals, client_for):
    client = client_for(personas.manager)
    url = reverse("opportunities:export", args=["opportunities", "csv"])

    def download():
        response = client.get(url)
        return response, b"".join(response.streaming_content)

    (response, body), on_the_replica = queries_on("replica", download)
    assert response.status_code == 200 and on_the_replica >= 1
    assert body.count(b"\n") == 4  # the header and the three deals


def test_editing_stays_on_the_primary(on_replica, personas, deals, client_for):
    client = client_for(personas.owner)
    url = reverse("opportunities:detail", args=[deals[0].pk])
    _response, on_the_replica = queries_on("replica", lambda: client.get(url))
    assert on_the_replica == 0


def test_without_a_replica_everything_reads_the_primary(personas, deals, client_for):
    assert not replica.enabled()
    client = client_for(personas.manager)
    _response, on_the_replica = queries_on(
        "replica", lambda: client.get(reverse("opportunities:pipeline"))
    )
    assert on_the_replica == 0
    assert replica.for_reports(deals[0].__class__.objects.all()).db == "default"


def test_the_router_writes_to_the_primary_and_migrates_only_there():
    router = replica.ReplicaRouter()
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("default", "crm") and not router.allow_migrate("replica", "crm")
