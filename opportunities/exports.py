"""The download of every list as CSV or XLSX.

Each list's export lives beside the list (accounts/exports.py, relationships/exports.py,
opportunities/deals/exports.py, opportunities/moves/exports.py): a resource naming the columns
and a function giving the list's rows for a request, through the list's own filters and the
access policy. The rows are read with `values()` in chunks (crm.exporting.LeanExport) and
streamed (CSV) or written row by row (XLSX), so 10,000 rows cost no more memory than 100 (but
their ids); every cell goes through crm.exporting's one writer, which defuses formulas.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.exports import AccountResource, ContactResource, account_rows, contact_rows
from accounts.models import PersonalDataAccess
from accounts.services import log_personal_data_accesses
from crm import replica
from crm.exporting import csv_response, xlsx_response
from crm.params import id_list
from opportunities.deals.exports import OpportunityResource, opportunity_rows
from opportunities.moves.exports import ReceivableResource, receivable_rows
from relationships.exports import ActivityResource, activity_rows, contact_list_rows


@dataclass(frozen=True)
class Export:
    resource: type
    rows: object  # request → queryset (visible and filtered)
    filename: str
    personal: bool = False  # holds people's contact data: each exported person is logged (PIPL)


MAX_IDS = 1000  # ids in a download's address: the ticked rows of a page, or a bulk selection

EXPORTS = {
    "accounts": Export(AccountResource, account_rows, "accounts"),
    "contacts": Export(ContactResource, contact_rows, "contacts", personal=True),
    "contact_list": Export(ContactResource, contact_list_rows, "contacts", personal=True),
    "opportunities": Export(OpportunityResource, opportunity_rows, "opportunities"),
    "activities": Export(ActivityResource, activity_rows, "activities"),
    "receivables": Export(ReceivableResource, receivable_rows, "receivables"),
}


@require_GET
def export(request, what, fmt):
    """A list's filtered rows as CSV or XLSX: exactly the rows its page would show, across
    all pages, through the same filters and the access policy; with `id`s, only those of them."""
    spec = EXPORTS.get(what)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    resource = spec.resource()
    queryset = replica.for_reports(spec.rows(request))
    if "id" in request.GET:  # the rows ticked on the list (bulk/); a bad id chooses nothing
        queryset = queryset.filter(pk__in=(id_list(request.GET, "id") or [])[:MAX_IDS])
    filename = f"{spec.filename}-{timezone.localdate().isoformat()}.{fmt}"
    header = resource.get_export_headers()
    if spec.personal:
        log_personal_data_accesses(
            contacts=queryset.select_related("account").only("name", "account__name").iterator(),
            user=request.user,
            channel=PersonalDataAccess.Channel.EXPORT,
        )
    if fmt == "csv":
        return csv_response(filename, header, resource.lean_rows(queryset))
    return xlsx_response(filename, spec.filename, header, resource.lean_rows(queryset, native=True))
