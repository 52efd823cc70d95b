"""The files of a record: the panel (listed, uploaded, a new version, deleted) and the bytes,
each only for someone who may see the record (files.kinds, crm.policy)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm import policy
from crm.params import id_param
from files import content, kinds, services
from files.forms import UploadForm
from files.models import Document, Version

SHOWN = 50


def panel(request, kind, pk):
    """GET: the record's documents (the latest version of each, how many before it). POST: a
    file as a new document, or as the next version of `document`."""
    record = kinds.visible_record_or_404(kind, pk, request.user)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    attached = ""
    if posted and form.is_valid():
        document = _document_of(record, id_param(request.POST, "document"))
        try:
            checked = content.check(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            version = services.attach(
                record,
                form.cleaned_data["file"],
                checked,
                by=request.user,
                now=timezone.now(),
                title=form.cleaned_data["title"],
                document=document,
            )
            done = _("“%(name)s” attached (version %(n)s).") % {
                "name": version.name,
                "n": version.number,
            }
            if not request.htmx:
                messages.success(request, done)
                return redirect(_panel_url(kind, pk))
            form, attached = UploadForm(), done
    documents = list(
        Document.objects.of(record)
        .kept()
        .annotate(deletable=policy.manages_owner_annotation(request.user, OuterRef("created_by")))
        .prefetch_related("versions__uploaded_by")
        .order_by("-updated_at", "-pk")[:SHOWN]
    )
    rows = [(document, list(document.versions.all())) for document in documents]
    return render(
        request,
        "files/panel.html" if request.htmx else "files/page.html",
        {
            "record": record,
            "kind": kind,
            "rows": [
                (doc, versions[-1], versions[:-1][::-1]) for doc, versions in rows if versions
            ],
            "form": form,
            "url": _panel_url(kind, pk),
            "max_bytes": settings.FILES_MAX_BYTES,
            "attached": attached,
        },
        status=400 if form.errors else 200,
    )


def _panel_url(kind, pk) -> str:
    return reverse("files:panel", args=[kind, pk])


def _document_of(record, document_id):
    if document_id is None:
        return None
    document = Document.objects.of(record).kept().filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def _visible_version(user, pk) -> Version:
    version = Version.objects.select_related("document").filter(pk=pk).first()
    if version is None or version.document.deleted_at is not None:
        raise Http404
    document = version.document
    model = document.content_type.model_class()
    if not model.objects.visible_to(user).filter(pk=document.object_id).exists():
        raise Http404
    return version


def _served(response):
    # The bytes are the user's: never run as a page of ours, never second-guessed as HTML.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def download(request, pk):
    version = _visible_version(request.user, pk)
    handle = version.file.open("rb")
    response = FileResponse(
        handle, as_attachment=True, filename=version.name, content_type=version.mime_type
    )
    return _served(response)


@require_safe
def thumbnail(request, pk):
    version = _visible_version(request.user, pk)
    if not version.thumbnail:
        raise Http404
    return _served(FileResponse(version.thumbnail.open("rb"), content_type="image/png"))


@require_POST
def delete(request, pk):
    """Its uploader or their manager (or an admin) deletes a document; an admin may restore it
    for FILES_KEEP_DELETED_DAYS."""
    document = Document.objects.kept().filter(pk=pk).first()
    if document is None:
        raise Http404
    kind = kinds.kind_of(document.content_type.model_class())
    record = kinds.visible_record_or_404(kind, document.object_id, request.user)
    mine = document.created_by_id == request.user.pk
    if not mine and not policy.manages_owner(request.user, document.created_by_id):
        raise Http404
    services.delete(document, by=request.user, now=timezone.now())
    if not request.htmx:
        messages.success(request, _("“%(title)s” deleted.") % {"title": document.title})
    return redirect(_panel_url(kind, record.pk))
