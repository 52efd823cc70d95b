"""Imports, run: who may import what, previews and confirmed runs of an uploaded file, and the
Maven CRM data set end to end (docs/import.md).

The per-kind rules live in each app's `resources.py`; the generic engine in `imports/engine.py`.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from crm import policy
from imports import engine as importing
from imports import jobs, reading
from imports.importers.users import UserImporter
from imports.kinds import ADMIN_ONLY, importer
from imports.models import ImportBatch, ImportKind, ImportMapping
from imports.reading import Table
from imports.stored import store_table, table_of  # noqa: F401  (the import page stores with it)


def may_import(user) -> bool:
    """Managers import their team's spreadsheets; admins import anything."""
    return policy.manages_a_team(user)


def kinds_for(user) -> list[tuple[str, str]]:
    admin = policy.is_admin(user)
    return [(k.value, k.label) for k in ImportKind if admin or k not in ADMIN_ONLY]


def headers_of(batch: ImportBatch) -> list[str]:
    """The file's column names, from the stored rows (parsing an older upload once)."""
    if not batch.headers and batch.purged_at is None:
        try:
            batch.headers = table_of(batch).headers
        except reading.SourceError:
            return []
    return batch.headers


def preview(batch: ImportBatch, user) -> importing.Report:
    """A dry run of the batch with its current mapping: nothing is written."""
    try:
        table = table_of(batch)
    except reading.SourceError as exc:
        report = importing.Report(batch.kind, fatal=exc.message)
    else:
        report = importing.run(
            importer(batch.kind, user, batch.filename), table, batch.columns, batch.values
        )
    batch.report = report.as_dict()
    batch.save(update_fields=["report", "updated_at"])
    return report


def confirm(batch: ImportBatch, user, *, skip_rejected: bool) -> dict:
    """The confirmed run done here and now (what the worker does for the import page,
    imports/jobs.py): every row checked again, then written in batches. Returns the report."""
    jobs.start(batch, user, skip_rejected=skip_rejected)
    jobs.run(batch.pk)
    batch.refresh_from_db()
    return batch.report


def purge_uploads(*, now) -> int:
    """Delete the raw file and the parsed rows of every upload older than the retention
    (IMPORT_RETENTION_DAYS); the batch keeps its columns and report. Returns how many."""
    cutoff = now - timedelta(days=settings.IMPORT_RETENTION_DAYS)
    return ImportBatch.objects.filter(created_at__lt=cutoff, purged_at__isnull=True).update(
        content=b"", rows=[], purged_at=now, updated_at=now
    )


def mapping_for(mapping: ImportMapping | None, headers: list[str], kind: str, user) -> tuple:
    """The columns and values to start from: the saved mapping's (for the columns this file
    has), else the columns whose names match ours."""
    if mapping is not None:
        columns = {ours: theirs for ours, theirs in mapping.columns.items() if theirs in headers}
        return columns, dict(mapping.values)
    return importing.guess_columns(importer(kind, user), headers), {}


# --- the Maven CRM data set ----------------------------------------------------------------------

MAVEN_MAPPINGS = Path(__file__).resolve().parent / "data" / "maven.json"


def maven_mappings() -> dict:
    return json.loads(MAVEN_MAPPINGS.read_text(encoding="utf-8"))


def username_for(full_name: str) -> str:
    """ "Anna Snelling" → "anna.snelling" (ASCII letters, digits and dots)."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".")


def team_name(office: str, manager: str) -> str:
    return f"{office} · {manager}"


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _table(headers: list[str], rows: list[dict]) -> Table:
    return Table(headers, [(n, row) for n, row in enumerate(rows, start=2)], "UTF-8")


def maven_users(directory: Path) -> Table:
    """sales_teams.csv as users: every manager and agent, a team per manager named after the
    regional office and the manager, the manager as its manager and the agents as reps."""
    rows, seen = [], set()
    for agent in _csv(directory / "sales_teams.csv"):
        team = team_name(agent["regional_office"], agent["manager"])
        for name, role in ((agent["manager"], "manager"), (agent["sales_agent"], "rep")):
            if (name, team) in seen:
                continue
            seen.add((name, team))
            first, _sep, last = name.partition(" ")
            rows.append(
                {
                    "username": username_for(name),
                    "first_name": first,
                    "last_name": last,
                    "team": team,
                    "role": role,
                }
            )
    return _table(["username", "first_name", "last_name", "team", "role"], rows)


def maven_accounts(directory: Path) -> Table:
    """accounts.csv plus an `owner` column: the agent with the most deals on the account
    (ties: the first name alphabetically), as the source has no account owner."""
    deals = Counter(
        (row["account"], row["sales_agent"])
        for row in _csv(directory / "sales_pipeline.csv")
        if row["account"]
    )
    owners: dict[str, str] = {}
    for (account, agent), _count in sorted(deals.items(), key=lambda item: (-item[1], item[0])):
        owners.setdefault(account, agent)
    rows = _csv(directory / "accounts.csv")
    for row in rows:
        row["owner"] = owners.get(row["account"], "")
    headers = [*rows[0].keys()] if rows else []
    return _table(headers, rows)


def import_maven(directory: Path, user, *, commit: bool = True) -> dict[str, importing.Report]:
    """Import the whole Maven data set as `user` (an admin): users and teams, products,
    accounts, then the 8,800 opportunities, each kind in its own transaction; with
    `commit=False` a dry run of every file (the later files then see none of the earlier
    files' new records, so their references show as unknown)."""
    mappings = maven_mappings()
    reports = {}
    with transaction.atomic():
        for name, spec in mappings.items():
            if name in ImportKind.values:
                ImportMapping.objects.update_or_create(
                    name=spec["name"],
                    defaults={"kind": name, "columns": spec["columns"], "values": spec["values"]},
                )
    users = maven_users(directory)
    reports["users"] = jobs.import_table(
        lambda: UserImporter(user, source="sales_teams.csv"),
        users,
        {h: h for h in users.headers},
        {},
        commit=commit,
    )
    for kind, table in (
        ("products", None),
        ("accounts", maven_accounts(directory)),
        ("opportunities", None),
    ):
        spec = mappings[kind]
        if table is None:
            content = (directory / spec["file"]).read_bytes()
            table = reading.read_table(content, spec["file"])
        reports[kind] = jobs.import_table(
            lambda kind=kind, spec=spec: importer(kind, user, spec["file"]),
            table,
            spec["columns"],
            spec["values"],
            commit=commit,
        )
    return reports
