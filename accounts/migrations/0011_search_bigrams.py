"""The search box's pair-of-characters index on PostgreSQL (crm/bigrams.py, issue 20): a GIN
index over exactly what search/selectors.py asks, so a two-character Chinese term finds its
rows without a scan. Other databases (SQLite) keep the plain scan: nothing to do there."""

from django.db import migrations

from crm import bigrams

INDEXES = {
    "account_search_pairs_idx": ("accounts_account", ("name", "email", "website")),
    "contact_search_pairs_idx": ("accounts_contact", ("name", "email", "wechat")),
}


def create(apps, schema_editor):
    bigrams.create_indexes(schema_editor, INDEXES)


def drop(apps, schema_editor):
    bigrams.drop_indexes(schema_editor, INDEXES)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_merged_records")]

    operations = [migrations.RunPython(create, drop)]
