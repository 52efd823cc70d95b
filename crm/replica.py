"""Report reads on a PostgreSQL read replica (issue 24): with DATABASE_REPLICA_URL set, the
pipeline, the dashboards' figures and the list downloads read from the `replica` alias; every
write, and every page a person edits on, stays on `default` (docs/performance.md: a report may
lag the primary by the replica's delay — a figure a second old, never a lost write).

Views opt in with `@reports` (the reads of that request go to the replica); a streamed download,
whose rows are read after the view has returned, asks for `for_reports(queryset)`.
"""

import functools
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("reporting", default=False)


def enabled() -> bool:
    return settings.REPORTS_ON_REPLICA and REPLICA in settings.DATABASES


def reports(view):
    """Run `view` with its reads on the replica (when there is one)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        token = _reporting.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reporting.reset(token)

    return wrapped


def for_reports(queryset):
    return queryset.using(REPLICA) if enabled() else queryset


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reporting.get() and enabled() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True  # the same rows, whichever alias read them

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
