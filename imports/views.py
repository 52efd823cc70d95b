"""The import pages (managers and admins): upload → map columns and values → dry-run preview
(nothing written) → confirmed run in one transaction; the rejected rows download as CSV."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.exporting import as_download
from crm.policy import get_visible_or_404
from imports import engine as importing
from imports import jobs, services, tasks
from imports.forms import ConfirmForm, MappingForm, UploadForm, values_text
from imports.models import ImportBatch, ImportMapping

SHOWN_REJECTED = 200
# Remarks that name a record (a likely duplicate) are one group each: the page shows a bounded
# number of groups.
SHOWN_WARNING_GROUPS = 50


def _require_importer(request):
    if not services.may_import(request.user):
        raise Http404


def _batch(request, pk) -> ImportBatch:
    _require_importer(request)
    # The file and its rows stay in the database: a page reads the headers and the report.
    batches = ImportBatch.objects.select_related("mapping").defer("content", "rows")
    batch = get_visible_or_404(batches, request.user, pk=pk)
    if batch.kind not in dict(services.kinds_for(request.user)):
        raise Http404  # an admin's upload of users, seen by someone no longer an admin
    return batch


def import_start(request):
    if not services.may_import(request.user):
        # Linked from every list's export menu: say who imports instead of a bare 404.
        return render(request, "imports/start.html", {"allowed": False})
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        kind, mapping = form.cleaned_data["kind"], form.cleaned_data["mapping"]
        columns, values = services.mapping_for(mapping, form.table.headers, kind, request.user)
        batch = ImportBatch(
            kind=kind,
            filename=form.cleaned_data["file"].name[:255],
            content=form.content,
            mapping=mapping,
            columns=columns,
            values=values,
            created_by=request.user,
        )
        services.store_table(batch, form.table)
        batch.save()
        services.preview(batch, request.user)
        return redirect("opportunities:import_batch", pk=batch.pk)
    recent = (
        ImportBatch.objects.visible_to(request.user)
        .filter(created_by=request.user)
        .defer("content", "rows")
    )
    return render(
        request,
        "imports/start.html",
        {
            "allowed": True,
            "form": form,
            "recent": recent.order_by("-created_at")[:10],
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
    headers = services.headers_of(batch)
    importer = services.importer(batch.kind, request.user)
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
    if action and (imported or (batch.in_progress and action != "resume")):
        if imported:
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
        services.preview(batch, request.user)
        return redirect("opportunities:import_batch", pk=batch.pk)
    if action in ("confirm", "resume") and (action == "resume" or confirm_form.is_valid()):
        skip = (
            batch.skip_rejected
            if action == "resume"
            else confirm_form.cleaned_data["skip_rejected"]
        )
        try:
            jobs.start(batch, request.user, skip_rejected=skip)
        except jobs.Busy as busy:
            messages.info(request, str(busy))
        else:
            transaction.on_commit(lambda: tasks.run_import.delay(batch.pk))
            messages.info(request, _("The import has started: its progress is shown below."))
        return redirect("opportunities:import_batch", pk=batch.pk)
    report = batch.report
    warnings = _grouped_warnings(report)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "report": report,
            "rejected": report.get("rejected", [])[:SHOWN_REJECTED],
            "rejected_hidden": max(len(report.get("rejected", [])) - SHOWN_REJECTED, 0),
            "warnings": warnings[:SHOWN_WARNING_GROUPS],
            "warnings_hidden": sum(g["count"] for g in warnings[SHOWN_WARNING_GROUPS:]),
            "mapping_form": mapping_form,
            "confirm_form": confirm_form,
            "imported": imported,
            "interrupted": batch.interrupted(timezone.now()),
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
    return as_download(response, f"{stem}-rejected.csv")


@require_GET
def import_progress(request, pk):
    """The progress bar of a running import, polled by the page; once the run has ended the
    page reloads to show its report."""
    batch = _batch(request, pk)
    if not batch.in_progress:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    interrupted = batch.interrupted(timezone.now())
    return render(request, "imports/_progress.html", {"batch": batch, "interrupted": interrupted})
