"""docs/backup.md: a dumpdata/loaddata round trip keeps every row of the demo data."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.snapshots import snapshot

BACKUP_ARGS = [
    "--natural-foreign",
    "--format=xml",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=admin.logentry",
]


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trips_the_demo_data(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    before = snapshot(include_history=True, include_volatile=True)
    assert sum(map(len, before.values())) > 0

    backup = tmp_path / "cuilong.xml"
    call_command("dumpdata", *BACKUP_ARGS, output=str(backup), stdout=StringIO())
    call_command("flush", interactive=False, stdout=StringIO())
    assert sum(map(len, snapshot(include_history=True).values())) == 0

    call_command("loaddata", str(backup), stdout=StringIO())
    assert snapshot(include_history=True, include_volatile=True) == before
