"""The background worker's own record: when each job last ran and how it ended, for the
health page. `JobRun` rows are written by the jobs themselves (crm/tasks.py), so a row that
stops moving means no worker runs that job."""

import functools
import traceback

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HEARTBEAT = "heartbeat"


class JobRun(models.Model):
    name = models.CharField(_("job"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    ok = models.BooleanField(_("last run succeeded"), default=False)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return self.name


def recorded(name: str):
    """Record the start, end and outcome of the wrapped job under `name`."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            JobRun.objects.update_or_create(name=name, defaults={"started_at": timezone.now()})
            try:
                value = function(*args, **kwargs)
            except Exception:
                JobRun.objects.filter(name=name).update(
                    finished_at=timezone.now(), ok=False, result=traceback.format_exc()[-2000:]
                )
                raise
            JobRun.objects.filter(name=name).update(
                finished_at=timezone.now(), ok=True, result=str(value)[:2000]
            )
            return value

        return run

    return decorate
