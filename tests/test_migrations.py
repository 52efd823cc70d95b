"""A database created at the migrations of the layout before the rooms (913ce3d: the import
batches and mappings in the opportunities app, `Opportunity.version`) upgrades to today's
layout with its data intact. The suite itself builds its tables without migrations, so this
runs `migrate` for real, in a child process on a database file of its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The leaf migration of each app at 913ce3d.
SCRIPT = r"""
import django

django.setup()

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [
    ("crm", "0001_initial"),
    ("accounts", "0006_account_search_trigram"),
    ("relationships", "0005_activity_next_step_index"),
    ("opportunities", "0008_pipeline_list_indexes"),
]
executor = MigrationExecutor(connection)
executor.migrate(OLD)
old = MigrationExecutor(connection).loader.project_state(OLD).apps

user = old.get_model("crm", "User").objects.create(username="alice", first_name="Alice")
ContentType = old.get_model("contenttypes", "ContentType")
batch_type = ContentType.objects.create(app_label="opportunities", model="importbatch")
account = old.get_model("accounts", "Account").objects.create(name="华东电网", owner_id=user.pk)
deal = old.get_model("opportunities", "Opportunity").objects.create(
    name="扩容项目",
    account_id=account.pk,
    owner_id=user.pk,
    amount="7000.00",
    next_step="Send the quote",
    next_step_date="2026-12-10",
    version=4,
)
mapping = old.get_model("opportunities", "ImportMapping").objects.create(
    name="Maven", kind="opportunities", columns={"name": "Deal"}, created_by_id=user.pk
)
old.get_model("opportunities", "ImportBatch").objects.create(
    kind="opportunities",
    filename="deals.csv",
    content=b"Deal\nA",
    mapping_id=mapping.pk,
    report={"created": 1},
    created_by_id=user.pk,
)

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
fresh = MigrationExecutor(connection)
assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())

from django.contrib.contenttypes.models import ContentType
from imports.models import ImportBatch, ImportMapping
from opportunities.models import Opportunity

batch = ImportBatch.objects.select_related("mapping", "created_by").get()
assert (batch.filename, bytes(batch.content)) == ("deals.csv", b"Deal\nA")
assert batch.report == {"created": 1}
assert batch.mapping.name == "Maven" and batch.mapping.columns == {"name": "Deal"}
assert batch.created_by.username == "alice"
assert ImportMapping.objects.get().created_by.username == "alice"
assert ContentType.objects.get(pk=batch_type.pk).app_label == "imports"
deal = Opportunity.objects.get()
assert (deal.name, str(deal.amount), deal.account.name) == ("扩容项目", "7000.00", "华东电网")
with connection.cursor() as cursor:
    table = connection.introspection.get_table_description(cursor, "opportunities_opportunity")
columns = [column.name for column in table]
assert "version" not in columns
print("upgraded")
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs on its own SQLite file (the PostgreSQL run has no database to spare)",
)
def test_a_database_from_before_the_rooms_upgrades_with_its_data(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("upgraded")
