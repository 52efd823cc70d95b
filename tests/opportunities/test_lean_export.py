"""The exports' fast path (crm.exporting.LeanExport) writes exactly what django-import-export's
`export_resource()` writes: same header, same cells, same order, in CSV and in XLSX, for
deals with several line items, closed deals, blank values and Chinese text; and it reads the
rows in chunks, so its queries grow by chunk, not by row."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from import_export import fields, resources

from accounts.exports import AccountResource
from accounts.models import Account
from crm.exporting import LeanExport
from crm.exporting import native_cell as _native
from opportunities.deals.exports import OpportunityResource
from opportunities.exports import EXPORTS
from opportunities.models import Opportunity
from relationships.defaults import ensure_defaults
from relationships.models import ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory, DepartmentFactory
from tests.opportunities.factories import LineItemFactory, OpportunityFactory, ProductFactory
from tests.opportunities.moves_factories import won_deal_with_milestones
from tests.relationships.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    # Cells with localised formats (numbers) must match in the user's language too.
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def book(personas):
    """Deals, accounts, contacts, activities and receivables of the owner persona."""
    owner = personas.owner
    acme = AccountFactory(
        owner=owner, name="华东电网有限公司", external_id="ACME", revenue=Decimal("1.5E+3")
    )
    plain = AccountFactory(owner=owner, name='苏州制造, "精工"', parent=acme, employees=120)
    server, service = ProductFactory(name="GTX 服务器"), ProductFactory(name="运维服务, 三年")
    several = OpportunityFactory(account=acme, name="扩容项目 二期", amount=Decimal("7000.00"))
    LineItemFactory(opportunity=several, product=server, quantity=2)
    LineItemFactory(opportunity=several, product=service, quantity=5)
    LineItemFactory(opportunity=several, product=server, quantity=1)
    OpportunityFactory(
        account=plain,
        name="已签约 deal",
        status="won",
        move=6,
        closed_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30)),
        qualification_score=87,
        source="referral",
    )
    OpportunityFactory(
        account=None,
        owner=owner,
        name='line\nbreak, "quoted"',
        status="abandoned",
        lost_reason="价格太高\n客户转向竞品",
        next_step="",
        next_step_date=None,
        expected_close_date=datetime.date(2026, 1, 31),
    )
    department = DepartmentFactory(account=acme, name="信息中心")
    wang = ContactFactory(account=acme, name="王总", department=department, has_veto=True)
    li = ContactFactory(account=acme, name="李工", email="li@example.com")
    ContactFactory(account=plain, name="Zhao")
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    visit = ActivityType.objects.order_by("pk").first()
    ActivityFactory(account=acme, owner=owner, type=visit, contacts=[wang, li], cost=Decimal(300))
    ActivityFactory(account=plain, owner=owner, type=visit, notes="", outcome="成交")
    collected = won_deal_with_milestones(owner)
    Opportunity.objects.filter(pk=collected.pk).update(name="回款项目", external_id="合同-7")
    Account.objects.filter(pk=collected.account_id).update(external_id="KH-回款")
    return owner


def resource_rows(what, user, query="", *, native=False):
    """What the resource's own path writes: `export_resource()` per instance."""
    spec = EXPORTS[what]
    request = RequestFactory().get("/", dict(item.split("=") for item in query.split("&") if item))
    request.user = user
    resource = spec.resource()
    queryset = spec.rows(request)
    if hasattr(resource, "queryset"):
        queryset = resource.queryset(queryset)
    kwargs = {"force_native_type": True} if native else {}
    return [resource.get_export_headers()] + [
        resource.export_resource(instance, **kwargs) for instance in queryset
    ]


def resource_csv(what, user, query=""):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(resource_rows(what, user, query))
    return "\ufeff" + buffer.getvalue()


def exported(client, what, fmt, query=""):
    url = reverse("opportunities:export", args=[what, fmt]) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("what", "query"),
    [
        ("opportunities", ""),
        ("opportunities", "sort=-amount"),
        ("accounts", ""),
        ("contacts", ""),
        ("activities", "scope=all"),
        ("receivables", ""),
        ("receivables", "bucket=overdue"),
    ],
)
def test_the_csv_is_what_the_resource_writes(personas, client_for, book, what, query):
    body = exported(client_for(personas.owner), what, "csv", query).decode("utf-8")
    assert body == resource_csv(what, personas.owner, query)
    assert len(body.splitlines()) >= 2  # a header and rows, not two empty files


def test_the_opportunity_rows_hold_every_kind_of_cell(personas, client_for, book):
    body = exported(client_for(personas.owner), "opportunities", "csv").decode("utf-8-sig")
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(body))}
    several = rows["扩容项目 二期"]
    assert (several["account"], several["product"], several["quantity"]) == (
        "ACME",
        "GTX 服务器, 运维服务, 三年, GTX 服务器",
        "8",
    )
    won = rows["已签约 deal"]
    assert (won["stage"], won["closed_on"], won["account"]) == (
        "won",
        "2026-03-01",
        '苏州制造, "精工"',
    )
    lost = rows['line\nbreak, "quoted"']
    assert (lost["account"], lost["product"], lost["quantity"], lost["next_step_date"]) == (
        "",
        "",
        "",
        "",
    )
    assert lost["lost_reason"] == "价格太高\n客户转向竞品"


@pytest.mark.parametrize("what", list(EXPORTS))
def test_the_xlsx_cells_are_what_the_resource_writes(personas, book, what):
    spec = EXPORTS[what]
    request = RequestFactory().get("/", {"scope": "all"})
    request.user = personas.owner
    lean = [
        [_native(v) for v in row]
        for row in spec.resource().lean_rows(spec.rows(request), native=True)
    ]
    expected = [
        [_native(v) for v in row]
        for row in resource_rows(what, personas.owner, "scope=all", native=True)[1:]
    ]
    assert lean == expected and lean


def test_chunks_keep_the_order_and_cost_two_queries_each(
    personas, client_for, book, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(OpportunityResource, "chunk_size", 2)
    client = client_for(personas.owner)
    deals = Opportunity.objects.visible_to(personas.owner).count()
    # session, user, move probabilities, the ids; then each chunk's rows and line items
    with django_assert_num_queries(4 + 2 * -(-deals // 2)):
        body = exported(client, "opportunities", "csv", "sort=-amount").decode("utf-8")
    assert body == resource_csv("opportunities", personas.owner, "sort=-amount")


def test_a_dehydrated_column_without_a_lean_one_is_refused():
    class Careless(LeanExport, resources.ModelResource):
        shout = fields.Field(column_name="shout")

        class Meta:
            model = Opportunity
            fields = ("name", "shout")

        def dehydrate_shout(self, opportunity):
            return opportunity.name.upper()

    with pytest.raises(ImproperlyConfigured, match="give it a lean_shout"):
        list(Careless().lean_rows(Opportunity.objects.all()))


def test_an_export_of_nothing_is_a_header(personas, client_for):
    body = exported(client_for(personas.owner), "accounts", "csv").decode("utf-8")
    assert body == "\ufeff" + ",".join(AccountResource().get_export_headers()) + "\r\n"
