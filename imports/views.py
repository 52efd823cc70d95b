"""Data in and out: the import pages (managers and admins) and the exports of every list.

Imports: upload → map columns and values → dry-run preview (nothing written) → confirmed run
in one transaction; the rejected rows download as CSV. Exports reuse each list's filters and
the access policy, read the rows with `values()` in chunks (crm.exporting.LeanExport), and
stream (CSV) or write row by row (XLSX), so 10,000 rows cost no more memory than 100 (but
their ids).
"""

import csv
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.exports import AccountResource, ContactResource
from accounts.filters import AccountFilter
from accounts.models import Account, Contact
from crm.exporting import chunks
from crm.policy import get_visible_or_404, is_admin
from imports import engine as importing
from imports import services as transfer
from imports.forms import ConfirmForm, MappingForm, UploadForm, values_text
from imports.models import ImportBatch, ImportMapping
from opportunities.deals import selectors
from opportunities.deals.changes import opportunity_changes, relationship_changes
from opportunities.deals.exports import OpportunityResource, ReceivableResource
from opportunities.deals.filters import OpportunityFilter
from opportunities.models import MoveSetting, MovesSetting, Opportunity
from opportunities.moves import selectors as move_selectors
from relationships import selectors as relationship_selectors
from relationships.exports import ActivityResource
from relationships.forms import ActivityFilter

SHOWN_REJECTED = 200
CSV_ROWS_PER_WRITE = 200  # rows per chunk of the streamed response


def _require_importer(request):
    if not transfer.may_import(request.user):
        raise Http404


def _batch(request, pk) -> ImportBatch:
    _require_importer(request)
    batch = get_visible_or_404(ImportBatch.objects.select_related("mapping"), request.user, pk=pk)
    if batch.kind not in dict(transfer.kinds_for(request.user)):
        raise Http404  # an admin's upload of users, seen by someone no longer an admin
    return batch


def import_start(request):
    if not transfer.may_import(request.user):
        # Linked from every list's export menu: say who imports instead of a bare 404.
        return render(request, "imports/start.html", {"allowed": False})
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        kind, mapping = form.cleaned_data["kind"], form.cleaned_data["mapping"]
        columns, values = transfer.mapping_for(mapping, form.table.headers, kind, request.user)
        batch = ImportBatch.objects.create(
            kind=kind,
            filename=form.cleaned_data["file"].name[:255],
            content=form.content,
            mapping=mapping,
            columns=columns,
            values=values,
            created_by=request.user,
        )
        transfer.preview(batch, request.user)
        return redirect("opportunities:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.visible_to(request.user).filter(created_by=request.user)
    return render(
        request,
        "imports/start.html",
        {
            "allowed": True,
            "form": form,
            "recent": recent.defer("content").order_by("-created_at")[:10],
        },
    )


def _grouped_warnings(report: dict) -> list[dict]:
    groups: dict[str, list[int]] = {}
    for warning in report.get("warnings", []):
        groups.setdefault(warning["message"], []).append(warning["row"])
    return [
        {"message": message, "count": len(rows), "rows": rows[:20], "more": len(rows) > 20}
        for message, rows in groups.items()
    ]


def import_batch(request, pk):
    """The mapping, the dry-run report and the confirm button of one uploaded file."""
    batch = _batch(request, pk)
    try:
        table = importing.read_table(bytes(batch.content), batch.filename)
        headers = table.headers
    except importing.SourceError:
        headers = []
    importer = transfer.importer(batch.kind, request.user)
    initial = {f"col_{ours}": theirs for ours, theirs in batch.columns.items()}
    initial["values"] = values_text(batch.values)
    imported = batch.state == ImportBatch.State.IMPORTED
    action = request.POST.get("action") if request.method == "POST" else None
    mapping_form = MappingForm(
        request.POST if action == "preview" else None,
        importer=importer,
        headers=headers,
        initial=initial,
    )
    confirm_form = ConfirmForm(request.POST if action == "confirm" else None)
    if action and imported:
        messages.info(request, _("This file has been imported already."))
        return redirect("opportunities:import_batch", pk=batch.pk)
    if action == "preview" and mapping_form.is_valid():
        batch.columns = mapping_form.columns()
        batch.values = mapping_form.cleaned_data["values"]
        name = mapping_form.cleaned_data["save_as"]
        if name:
            batch.mapping, _created = ImportMapping.objects.update_or_create(
                name=name,
                defaults={
                    "kind": batch.kind,
                    "columns": batch.columns,
                    "values": batch.values,
                    "created_by": request.user,
                },
            )
            messages.success(request, _("Mapping “%(name)s” saved.") % {"name": name})
        batch.save(update_fields=["columns", "values", "mapping", "updated_at"])
        transfer.preview(batch, request.user)
        return redirect("opportunities:import_batch", pk=batch.pk)
    if action == "confirm" and confirm_form.is_valid():
        report = transfer.confirm(
            batch, request.user, skip_rejected=confirm_form.cleaned_data["skip_rejected"]
        )
        if report.applied:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
        elif report.rejected:
            messages.error(
                request,
                _("Nothing was imported: %(n)s rows are rejected.") % {"n": len(report.rejected)},
            )
        else:
            messages.info(request, _("Nothing to import: every row is already up to date."))
        return redirect("opportunities:import_batch", pk=batch.pk)
    report = batch.report
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "report": report,
            "rejected": report.get("rejected", [])[:SHOWN_REJECTED],
            "rejected_hidden": max(len(report.get("rejected", [])) - SHOWN_REJECTED, 0),
            "warnings": _grouped_warnings(report),
            "mapping_form": mapping_form,
            "confirm_form": confirm_form,
            "imported": imported,
            "writes": report.get("created", 0) + report.get("updated", 0),
        },
    )


@require_GET
def import_rejected(request, pk):
    batch = _batch(request, pk)
    response = HttpResponse(
        importing.rejected_csv(batch.report), content_type="text/csv; charset=utf-8"
    )
    stem = batch.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-rejected.csv"'
    return response


# --- exports -------------------------------------------------------------------------------------


def _accounts(request) -> QuerySet:
    visible = Account.objects.visible_to(request.user)
    filterset = AccountFilter(request.GET or None, queryset=visible, request=request)
    accounts = filterset.qs
    if not filterset.form.data.get("sort"):
        accounts = accounts.order_by("name", "pk")
    return accounts


def accounts_export(request):
    return _accounts(request)


def contacts_export(request):
    """The contacts of the accounts the account list shows with the same filters."""
    accounts = _accounts(request).order_by().values("pk")
    return (
        Contact.objects.visible_to(request.user)
        .filter(account__in=accounts)
        .order_by("account__name", "name", "pk")
    )


def opportunities_export(request):
    base = selectors.opportunities_for(request.user, MoveSetting.probabilities())
    queryset = OpportunityFilter(request.GET or None, queryset=base, user=request.user).qs
    if not request.GET.get("sort"):
        queryset = queryset.order_by("expected_close_date", "pk")
    return queryset


def activities_export(request):
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    queryset = relationship_selectors.activity_list(request.user, scope=scope)
    return ActivityFilter(request.GET or None, queryset=queryset).qs


def receivables_export(request):
    # The receivables page's scope and bucket (opportunities/views/moves.py), same rules.
    queryset = move_selectors.open_receivables(request.user)
    if request.GET.get("scope") == "mine":
        queryset = queryset.filter(opportunity__owner=request.user)
    listed = move_selectors.receivables_listed(
        request.GET.get("bucket", ""), timezone.localdate(), MovesSetting.current().reminder_days
    )
    if listed is not None:
        queryset = queryset.filter(listed)
    return move_selectors.with_collected(queryset).order_by("due_date", "pk")


@dataclass(frozen=True)
class Export:
    resource: type
    rows: object  # request → queryset (visible and filtered)
    filename: str


EXPORTS = {
    "accounts": Export(AccountResource, accounts_export, "accounts"),
    "contacts": Export(ContactResource, contacts_export, "contacts"),
    "opportunities": Export(OpportunityResource, opportunities_export, "opportunities"),
    "activities": Export(ActivityResource, activities_export, "activities"),
    "receivables": Export(ReceivableResource, receivables_export, "receivables"),
}


class _Echo:
    def write(self, value):
        return value


def _stream_csv(resource, queryset):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 only with the byte-order mark
    yield writer.writerow(resource.get_export_headers())
    for rows in chunks(resource.lean_rows(queryset), CSV_ROWS_PER_WRITE):
        yield "".join(writer.writerow(row) for row in rows)


def _native(value):
    """A cell value openpyxl writes natively: numbers and dates stay numbers and dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | date):
        return value
    return str(value)


@require_GET
def export(request, what, fmt):
    """A list's filtered rows as CSV or XLSX: exactly the rows its page would show, across
    all pages, through the same filters and the access policy."""
    spec = EXPORTS.get(what)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    resource = spec.resource()
    queryset = spec.rows(request)
    stamp = timezone.localdate().isoformat()
    filename = f"{spec.filename}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _stream_csv(resource, queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.filename)
    sheet.append(resource.get_export_headers())
    for row in resource.lean_rows(queryset, native=True):
        sheet.append([_native(v) for v in row])
    # Spills to disk past 8 MB: memory stays bounded however long the list.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- change history ------------------------------------------------------------------------------


@require_GET
def record_changes(request, kind, pk):
    """Who changed what and when on an opportunity or a relationship (by the contact's id):
    a card the record's page loads with htmx, or a page of its own."""
    admin_url = ""
    if kind == "opportunity":
        opportunity = get_visible_or_404(Opportunity.objects.all(), request.user, pk=pk)
        changes = opportunity_changes(opportunity)
        title, back = opportunity.name, reverse("opportunities:detail", args=[pk])
        if is_admin(request.user):
            admin_url = reverse("admin:opportunities_opportunity_history", args=[pk])
    elif kind == "relationship":
        contact = get_visible_or_404(
            Contact.objects.select_related("relationship"), request.user, pk=pk
        )
        relationship = getattr(contact, "relationship", None)
        changes = relationship_changes(relationship)
        title, back = contact.name, reverse("relationships:contact", args=[pk])
        if relationship is not None and is_admin(request.user):
            admin_url = reverse("admin:relationships_relationship_history", args=[relationship.pk])
    else:
        raise Http404
    context = {"changes": changes, "title": title, "back": back, "admin_url": admin_url}
    template = (
        "opportunities/transfer/_changes_card.html"
        if request.htmx
        else "opportunities/transfer/changes.html"
    )
    return render(request, template, context)
