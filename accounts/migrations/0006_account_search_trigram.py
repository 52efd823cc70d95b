"""Account list search (accounts/filters.py `AccountFilter.search`: name, industry or region
`icontains`): trigram GIN indexes on PostgreSQL, so `UPPER(col) LIKE UPPER('%…%')` uses an
index (a BitmapOr over the three) instead of scanning every account. Other databases (SQLite)
keep the plain scan: nothing to do there. `CREATE EXTENSION` needs a superuser or the
extension already installed; without either the indexes are skipped with a notice."""

from django.db import migrations

COLUMNS = {"name": "account_name_trgm_idx", "industry": "account_industry_trgm_idx"}
COLUMNS["region"] = "account_region_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("  pg_trgm is not available: account search stays a scan")
            return
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 (no right to create it: the search still works)
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            print("  cannot create the pg_trgm extension: account search stays a scan")
            return
        for column, name in COLUMNS.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON accounts_account "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in COLUMNS.values():
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_personal_data_access")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
