"""A download streams (issue 24): the memory it holds does not grow with the number of rows —
20,000 deals cost about what 2,000 do (the ids, 8 bytes each, are all it keeps)."""

import tracemalloc

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def add_deals(owner, account, count, start=0):
    now = timezone.now()
    Opportunity.objects.bulk_create(
        Opportunity(
            account=account,
            owner=owner,
            name=f"项目 {start + index}",
            amount=1000 + index,
            expected_close_date=now.date(),
            entered_move_at=now,
            next_step="拜访",
            next_step_date=now.date(),
        )
        for index in range(count)
    )


def peak_of_download(client) -> tuple[int, int]:
    """The peak of memory allocated while the CSV is produced and read, and its lines."""
    url = reverse("opportunities:export", args=["opportunities", "csv"])
    tracemalloc.start()
    try:
        response = client.get(url)
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, lines


def test_memory_does_not_grow_with_the_rows(personas, client_for):
    account = AccountFactory(owner=personas.owner)
    client = client_for(personas.manager)
    add_deals(personas.owner, account, 2_000)
    small, lines = peak_of_download(client)
    assert lines == 2_001
    add_deals(personas.owner, account, 18_000, start=2_000)
    large, lines = peak_of_download(client)
    assert lines == 20_001
    print(f"export peak: {small / 1e6:.1f} MB for 2,000 rows, {large / 1e6:.1f} MB for 20,000")
    assert large < small * 2, f"{large / 1e6:.1f} MB for 20,000 rows, {small / 1e6:.1f} for 2,000"
