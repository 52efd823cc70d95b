"""A fuzzer over every form of the project: each URL pattern whose page holds a POST form (found
from the URL resolver through the access table, which must name every URL) is posted
hypothesis-generated hostile values, field by field and typed by the field's input kind, by each
persona who may reach it. Nothing may answer 5xx, change a record of another team, or store a
value that renders back as markup. An outsider posting to the same URL gets 404 and changes
nothing.

Examples per form and persona: FUZZ_EXAMPLES (default 4 in CI; e.g. FUZZ_EXAMPLES=200 locally).
"""

import os
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.snapshots import comparable
from tests.test_access_matrix import EXPECTATIONS
from tests.test_hostile_input import SCRIPT, SKIP, FormFields
from tests.world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
WRITERS = ["owner", "manager", "admin"]

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
CONTROL = ["\x0b", "a\x00b", "\x1b[31m", "\u202e", "line\r\nbreak", "\ufeff"]
MARKUP = [SCRIPT, '"><img src=x onerror=alert(1)>', "{{ 7|add:7 }}", "{% debug %}"]
NUMBERS = [
    "99999999999999999999999999",
    "-1",
    "-99999999999",
    "1e308",
    "NaN",
    "Infinity",
    "²",
    "١٢",
    "0x10",
    "1,000",
    " 5 ",
]
DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "10000-01-01", "1900-13-01", "today", "²"]
TEXT = st.one_of(
    st.sampled_from(FORMULAS + CONTROL + MARKUP + NUMBERS + DATES + ["x" * 10_000, ""]),
    st.text(max_size=40),
)


def values_for(kind: str, foreign_ids: list[str]):
    """Hostile values for one input, by its kind."""
    if kind == "number":
        return st.sampled_from(NUMBERS + [""])
    if kind in {"date", "datetime-local", "time"}:
        return st.sampled_from(DATES + [""])
    if kind == "select":
        return st.sampled_from(foreign_ids + ["0", "-1", "99999999999999999999", "²", ""])
    if kind in {"checkbox", "radio"}:
        return st.sampled_from(["on", "", "1", "bogus"])
    return TEXT


# Pages that host the forms of URLs that only take a POST (the move form, decisions, deletes).
HOSTS = ["opportunities:detail", "relationships:approvals", "accounts:detail", "accounts:contact"]


class AllForms(HTMLParser):
    """Every POST form inside <main>: its action and its fields, as FormFields reads them."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, FormFields]] = []
        self.current = None
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        attrs_map = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "form" and self.in_main:
            if (attrs_map.get("method") or "").lower() == "post":
                self.current = FormFields()
                self.current.in_main = True
                self.current.handle_starttag(tag, attrs)
                self.forms.append((attrs_map.get("action") or "", self.current))
        elif self.current is not None:
            self.current.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.current is not None:
            self.current.handle_endtag(tag)
            if tag == "form":
                self.current = None


def fuzz_targets():
    for name, case in EXPECTATIONS.items():
        if name in SKIP or name.startswith("admin:") or not case.post:
            continue
        reach = case.get or case.post
        if any(reach.get(who) in (200, 302, 400, 403) for who in WRITERS):
            yield name


def form_fields(client, name, url, world) -> dict:
    """The fields of the form that posts to `url`: on its own page, else on a host page."""
    case = EXPECTATIONS[name]
    if case.get:
        page = client.get(url)
        if page.status_code != 200:
            return {}
        parser = FormFields()
        parser.feed(page.content.decode())
        return parser.fields
    for host in HOSTS:
        host_case = EXPECTATIONS[host]
        page = client.get(reverse(host, kwargs=host_case.kwargs(world)))
        if page.status_code != 200:
            continue
        parser = AllForms()
        parser.feed(page.content.decode())
        for action, form in parser.forms:
            if action and resolve(action.split("?")[0]).view_name == name:
                return form.fields
    return {}


def foreign_world(personas):
    """Records of another team, whose ids the fuzzer offers in every choice field."""
    account = AccountFactory(owner=personas.outsider, name="北方重工")
    contact = ContactFactory(account=account, name="赵雷")
    opportunity = OpportunityFactory(account=account, owner=personas.outsider, name="外部项目")
    return [account, contact, opportunity]


def state_of(records) -> list:
    """The other team's records as they are stored, with how many rows hang off them."""
    state = []
    for record in records:
        model = type(record)
        row = model._base_manager.filter(pk=record.pk).values().first()
        state.append({k: comparable(v) for k, v in (row or {}).items() if k != "updated_at"})
        for relation in model._meta.related_objects:
            if relation.one_to_many or relation.one_to_one:
                accessor = relation.get_accessor_name()
                related = relation.related_model._base_manager.filter(
                    **{relation.field.name: record}
                )
                state.append((accessor, related.count()))
    return state


def test_the_fuzzer_reaches_the_forms_of_every_app():
    names = set(fuzz_targets())
    prefixes = {name.split(":")[0] for name in names}
    assert {"accounts", "relationships", "opportunities"} <= prefixes
    assert len(names) >= 25


@pytest.mark.parametrize("who", WRITERS)
@pytest.mark.parametrize("name", list(fuzz_targets()))
@pytest.mark.django_db
def test_fuzz_form(client, personas, name, who):
    world = build_world(personas)
    theirs = foreign_world(personas)
    case = EXPECTATIONS[name]
    url = reverse(name, kwargs=case.kwargs(world)) + case.query
    client.force_login(getattr(personas, who))
    found = form_fields(client, name, url, world)
    if not found:
        pytest.skip(f"{who} sees no form posting to {name}")
    foreign_ids = [str(record.pk) for record in theirs]
    fields = [(f, kind, default) for f, (kind, default) in found.items()]
    strategies = {
        f: values_for(kind, foreign_ids)
        for f, kind, _default in fields
        if f != "csrfmiddlewaretoken" and kind != "hidden"
    }
    before = state_of(theirs)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.fixed_dictionaries(strategies))
    def post_hostile(values):
        data = {f: default for f, kind, default in fields if f not in values}
        data.update(values)
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code == 302 and response["Location"].startswith("/"):
            shown = client.get(response["Location"])
            assert shown.status_code < 500, (response["Location"], data)
            assert SCRIPT not in shown.content.decode()
        elif response.status_code == 200:
            assert SCRIPT not in response.content.decode()
        assert state_of(theirs) == before, f"{url} changed another team's records"

    post_hostile()


@pytest.mark.parametrize("name", list(fuzz_targets()))
@pytest.mark.django_db
def test_an_outsider_posting_to_a_form_gets_404_and_changes_nothing(client, personas, name):
    world = build_world(personas)
    case = EXPECTATIONS[name]
    if case.post.get("outsider") != 404 or case.post.get("owner") == 404:
        pytest.skip(f"{name} is open to the outsider")
    url = reverse(name, kwargs=case.kwargs(world)) + case.query
    client.force_login(personas.outsider)
    before = state_of([world.account, world.contact, world.opportunity])
    response = client.post(url, {"name": SCRIPT, "date": str(date.max), "amount": "-1"})
    assert response.status_code == 404
    assert state_of([world.account, world.contact, world.opportunity]) == before
