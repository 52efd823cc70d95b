"""What the import commands share: who imports, and how a report reads on a terminal."""

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError

from crm import policy
from crm.models import User


def importing_user(username: str | None, *, create: bool = False) -> User:
    """The admin the import runs as (history rows and move changes name them)."""
    if username:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user “{username}”.") from exc
        if not policy.is_admin(user):
            raise CommandError(
                f"“{username}” is not an admin: imports from the command line run as an admin."
            )
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None and create:
        # A fresh database: an admin nobody can sign in as (no password) owns the import.
        user, _created = User.objects.get_or_create(
            username="importer",
            defaults={"is_superuser": True, "is_staff": True, "password": make_password(None)},
        )
    if user is None:
        raise CommandError("No admin user: create one (manage.py createsuperuser) or pass --as.")
    return user


def print_report(stdout, style, title: str, report, *, limit: int = 20) -> None:
    stdout.write(style.MIGRATE_HEADING(title))
    if report.fatal:
        stdout.write(style.ERROR(f"  {report.fatal}"))
        return
    stdout.write(
        f"  rows {report.total}: created {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged}, rejected {len(report.rejected)}, "
        f"warnings {len(report.warnings)}"
        + (
            ""
            if report.applied or not (report.created or report.updated)
            else "  (nothing written)"
        )
    )
    for item in report.rejected[:limit]:
        reasons = "; ".join(f"{col}: {msg}" if col else msg for col, msg in item["errors"])
        stdout.write(style.ERROR(f"  row {item['row']}: {reasons}"))
    if len(report.rejected) > limit:
        stdout.write(style.ERROR(f"  … and {len(report.rejected) - limit} more rejected rows"))
    messages = {}
    for warning in report.warnings:
        messages.setdefault(warning["message"], []).append(warning["row"])
    for message, rows in messages.items():
        shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        stdout.write(style.WARNING(f"  {len(rows)} rows: {message} (rows {shown})"))
