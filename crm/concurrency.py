"""Safe concurrent edits: the second of two people saving the same record is refused, told what
the first one changed, and keeps their own input on the form (DESIGN.md "Data safety").

An edit form mixes in `ConcurrentEditMixin`. It renders the record's `updated_at` as a hidden
`version`; on save, the row is locked and its version compared; a mismatch becomes a form error
that lists the other person's changes (from django-simple-history where the model keeps it).
"""

from datetime import datetime

from django import forms
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class EditConflict(Exception):
    pass


class Refused(Exception):
    """A rule re-checked under a lock at save time failed: `try_save` shows `message` on
    `field` (None: on the form) instead of saving."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def version_of(instance) -> str:
    return instance.updated_at.isoformat() if instance.updated_at else ""


def _moment(version: str) -> datetime | None:
    """The time a version stands for; None for anything else a browser may post (a far-past
    or far-future moment included: converted to UTC or to SQLite's text it overflows)."""
    try:
        moment = datetime.fromisoformat(version) if version and len(version) <= 40 else None
    except (TypeError, ValueError):
        return None
    if moment is None or moment.tzinfo is None or not 1900 < moment.year < 9000:
        return None
    return moment


def changes_since(instance, version: str) -> list[str]:
    """One readable line per change to `instance` made after `version`, oldest first."""
    history = getattr(instance, "history", None)
    since = _moment(version)
    if history is None or since is None:
        return []
    # Each historical row records the `updated_at` it saved, which is exactly a version.
    records = list(history.filter(updated_at__gt=since).select_related("history_user"))
    baseline = history.filter(updated_at__lte=since).first()
    lines = []
    for record in reversed(records):
        who = str(record.history_user) if record.history_user else _("someone")
        when = date_format(localtime(record.history_date), "DATETIME_FORMAT")
        if baseline is None:
            lines.append(_("%(who)s changed it at %(when)s") % {"who": who, "when": when})
        else:
            for change in record.diff_against(baseline).changes:
                field = instance._meta.get_field(change.field)
                lines.append(
                    _("%(who)s at %(when)s: %(field)s “%(old)s” → “%(new)s”")
                    % {
                        "who": who,
                        "when": when,
                        "field": field.verbose_name,
                        "old": change.old if change.old not in (None, "") else "—",
                        "new": change.new if change.new not in (None, "") else "—",
                    }
                )
        baseline = record
    return lines


class ConcurrentEditMixin(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    conflict_message = gettext_lazy(
        "Someone else saved this record while you were editing it. Your input is kept below: "
        "check it against their changes and save again."
    )

    missing_version_message = gettext_lazy(
        "This form was sent without the version of the record it edits, so a concurrent change "
        "could not be checked: reload the page and save again."
    )

    deleted_message = gettext_lazy(
        "Someone else deleted this record while you were editing it: nothing was saved."
    )

    duplicate_message = gettext_lazy(
        "Someone else has just saved the same record: reload the page to see it, then change "
        "it there."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts: list[str] = []
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial["version"] = version_of(instance)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        submitted = self.data.get(self.add_prefix("version"), "")
        if instance.pk and not submitted:
            # Every page of ours sends the version; without it the check could not be made,
            # so the save is refused rather than made blind.
            raise forms.ValidationError(self.missing_version_message, code="no_version")
        if instance.pk:
            current = type(instance)._base_manager.filter(pk=instance.pk).first()
            if current is None:
                raise forms.ValidationError(self.deleted_message, code="deleted")
            if version_of(current) != submitted:
                self._refuse(current, submitted)
        return cleaned

    def _refuse(self, current, submitted):
        self.conflicts = changes_since(current, submitted)
        self.data = self.data.copy()
        self._take_their_changes_where_untouched(current, submitted)
        # Their next save is an informed one: it carries the version they have now seen.
        self.data[self.add_prefix("version")] = version_of(current)
        raise forms.ValidationError(self.conflict_message, code="edit_conflict")

    def _take_their_changes_where_untouched(self, current, submitted):
        """A three-way merge on the form: a field this user left as it was when they loaded
        the page shows the other person's newer value; a field they edited keeps their input."""
        history = getattr(current, "history", None)
        since = _moment(submitted)
        if history is None or since is None:
            return
        baseline = history.filter(updated_at__lte=since).first()
        if baseline is None:
            return
        names = [name for name in self.fields if name != "version"]
        loaded = model_to_dict(baseline.instance, fields=names)
        latest = model_to_dict(current, fields=names)
        for name in names:
            if name not in loaded or name not in latest:
                continue
            field, key = self.fields[name], self.add_prefix(name)
            mine = field.widget.value_from_datadict(self.data, self.files, key)
            if not field.has_changed(loaded[name], mine) and field.has_changed(
                loaded[name], field.prepare_value(latest[name])
            ):
                value = field.prepare_value(latest[name])
                if isinstance(value, list | tuple):
                    self.data.setlist(key, [str(v) for v in value])
                elif isinstance(value, bool):
                    self.data[key] = "on" if value else ""
                else:
                    self.data[key] = "" if value is None else str(value)

    def try_save(self, save=None):
        """Save, or — if someone saved in the meantime, created the same unique record, or a
        rule re-checked under a lock fails (`Refused`) — record why and return None.

        `save` is what saves the form when more than the form is written (e.g. a service
        saving the form with its formsets in one transaction); it defaults to `self.save`."""
        try:
            # A savepoint: a unique row someone created a moment ago rolls back this save
            # only, and becomes a message instead of a server error.
            with transaction.atomic():
                return (save or self.save)()
        except IntegrityError:
            self.add_error(None, self.duplicate_message)
            return None
        except Refused as refused:
            self.add_error(refused.field, refused.message)
            return None
        except EditConflict:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
            if current is None:
                self.add_error(None, self.deleted_message)
                return None
            submitted = self.data.get(self.add_prefix("version"), "")
            try:
                self._refuse(current, submitted)
            except forms.ValidationError as error:
                self.add_error(None, error)
            return None

    def save(self, commit=True):
        if not commit or not self.instance.pk:
            return super().save(commit=commit)
        model = type(self.instance)
        submitted = self.data.get(self.add_prefix("version"), "")
        with transaction.atomic():
            # Lock the row, then check nobody saved since `clean()` looked (a race of two saves).
            locked = model._base_manager.select_for_update().filter(pk=self.instance.pk).first()
            if locked is None:
                raise Refused(None, str(self.deleted_message))
            if version_of(locked) != submitted:
                raise EditConflict(self.instance.pk)
            return super().save(commit=True)
