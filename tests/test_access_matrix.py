"""Every URL of the project, requested by every persona, answers what the access policy says.

The expectation table below must name every URL pattern: a new URL without an entry fails
`test_every_url_has_an_expectation`, so nothing ships unchecked. Admin URLs are covered by
rule (staff only) in `test_admin_is_for_staff_only`.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from crm.models import Membership
from files import content, services
from pool.models import PooledAccount
from tests.api.test_access_matrix import api_route_names
from tests.factories import AccountFactory
from tests.world import World, build_world

PERSONAS = ["anonymous", "owner", "teammate", "manager", "outsider", "admin"]
LOGIN = "login"  # a redirect to the sign-in page


def scoped(ok=200):
    """A record of the owner's: the owner, their manager and admins reach it; others get 404."""
    return {
        "anonymous": LOGIN,
        "owner": ok,
        "teammate": 404,
        "manager": ok,
        "outsider": 404,
        "admin": ok,
    }


def managers_only(ok=200):
    """For the managers of the owner's team and admins: everyone else gets 404."""
    return {**scoped(ok), "owner": 404}


def uploader_only(ok=200):
    """An import batch: the manager who uploaded it and admins; everyone else gets 404."""
    return {**scoped(ok), "owner": 404}


def everyone(ok=200):
    return {p: (LOGIN if p == "anonymous" else ok) for p in PERSONAS}


def open_to_all(ok=200):
    return dict.fromkeys(PERSONAS, ok)


@dataclass
class Case:
    kwargs: callable = staticmethod(lambda world: {})
    get: dict | None = None  # None: GET is not allowed (405 for signed-in users)
    post: dict | None = None  # None: POST is not tested/allowed
    post_data: callable = staticmethod(lambda world: {})
    query: str = ""
    extra: dict = field(default_factory=dict)


def own_only(ok=200):
    """A user's own thing (a saved view): its owner only, not even their manager."""
    return {**scoped(ok), "manager": 404, "admin": 404}


def _saved_view(world):
    from crm.saved.models import SavedView

    return SavedView.objects.create(owner=world.account.owner, list="accounts:list", name="x")


def _second_account(world):
    return AccountFactory(owner=world.account.owner, name="江南银行股份有限公司")


def _pooled(world):
    """An account lying in the pool of the owner's team (the manager's and teammate's too)."""
    team = Membership.objects.filter(user=world.personas.owner).first().team
    account = AccountFactory(owner=None, name="太湖物流")
    return PooledAccount.objects.create(account=account, team=team, since=timezone.now())


def _version(world, *, image=False):
    """A file on the world's account, uploaded by its owner (a PNG when `image`)."""
    if image:
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, "PNG")
        upload = SimpleUploadedFile("照片.png", out.getvalue())
    else:
        upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.7\n%%EOF\n")
    checked = content.check(upload)
    return services.attach(
        world.account, upload, checked, by=world.personas.owner, now=timezone.now()
    )


def _second_contact(world):
    from tests.factories import ContactFactory

    return ContactFactory(account=world.account, name="张伟")


def greetings_festival(world) -> dict:
    """A festival three days ahead (whatever day the suite is pinned to)."""
    from django.utils import timezone

    from tests.relationships.factories import festival_on

    day = timezone.localdate() + timedelta(days=3)
    return {"festival_pk": festival_on(day).pk, "day": day.isoformat()}


def greeting_of(world):
    """The owner's WeChat greeting to the world's person, waiting for confirmation."""
    from relationships.models import Greeting

    greeting, _created = Greeting.objects.get_or_create(
        contact=world.contact,
        occasion_key="birthday",
        occasion_date=date(2026, 1, 1),
        defaults={
            "account": world.account,
            "owner": world.personas.owner,
            "occasion": "birthday",
            "channel": "wechat",
            "language": "zh-hans",
            "text": "生日快乐",
            "status": "copied",
        },
    )
    return greeting


EXPECTATIONS: dict[str, Case] = {
    "crm:home": Case(get=everyone()),
    "crm:switch_language": Case(get=None, post=open_to_all(302)),
    # An empty sign-in form comes back with its errors; signing out sends everyone to sign in.
    "login": Case(get=open_to_all(200), post=open_to_all(200)),
    "logout": Case(get=None, post=open_to_all(LOGIN)),
    # Notifications and health (issue 19). The inbox is one's own: another person's
    # notification answers 404 even to an admin. Robots are for managers and admins. The
    # health page is open (load balancers) and fails here: no worker runs in the tests.
    "crm:health": Case(get=open_to_all(503)),
    "crm:inbox": Case(get=everyone()),
    "accounts:duplicates": Case(get=managers_only()),
    "crm:view_save": Case(
        post=everyone(302),
        post_data=lambda w: {"list": "accounts:list", "name": "我的", "query": ""},
    ),
    "crm:view_default": Case(post=everyone(302), post_data=lambda w: {"list": "accounts:list"}),
    "crm:view_delete": Case(kwargs=lambda w: {"pk": _saved_view(w).pk}, post=own_only(302)),
    # A bulk action reads the selection through the list's policy: rows outside reach are not
    # chosen at all, so the outsider and the teammate are sent back to the list with a message.
    "bulk:start": Case(
        kwargs=lambda w: {"list_name": "accounts"},
        post={**scoped(200), "teammate": 302, "outsider": 302},
        post_data=lambda w: {"action": "reassign_accounts", "id": [w.account.pk]},
    ),
    # Handing a rep's book over is for their managers and admins; an empty form comes back.
    "bulk:handover": Case(get=managers_only(), post=managers_only()),
    # The shared pool: every team member sees and claims from their team's pool (an admin,
    # in no team, is told to assign instead); its managers and admins assign.
    "pool:list": Case(get=everyone()),
    "pool:claim": Case(
        kwargs=lambda w: {"pk": _pooled(w).pk}, post={**everyone(302), "outsider": 404}
    ),
    "pool:assign": Case(
        kwargs=lambda w: {"pk": _pooled(w).pk},
        post=managers_only(302),
        post_data=lambda w: {"owner": w.personas.teammate.pk},
    ),
    # Files are seen with their record; an empty upload is refused at the field (400).
    "files:panel": Case(
        kwargs=lambda w: {"kind": "account", "pk": w.account.pk}, get=scoped(), post=scoped(400)
    ),
    "files:download": Case(kwargs=lambda w: {"pk": _version(w).pk}, get=scoped()),
    "files:thumbnail": Case(kwargs=lambda w: {"pk": _version(w, image=True).pk}, get=scoped()),
    "files:delete": Case(kwargs=lambda w: {"pk": _version(w).document_id}, post=scoped(302)),
    "search:results": Case(get=everyone(), query="?q=Deal"),
    "search:suggest": Case(get=everyone(), query="?q=13800"),
    # The calendar is one's own (or a manager's team's); the feed is its secret address.
    "crm:calendar": Case(get=everyone()),
    "crm:calendar_feed_reset": Case(post=everyone(200)),
    "crm:calendar_feed": Case(kwargs=lambda w: {"token": w.feed_token}, get=open_to_all()),
    "crm:bell": Case(get=everyone()),
    "crm:mark_read": Case(post=everyone(302)),
    "crm:open": Case(
        kwargs=lambda w: {"pk": w.notification.pk},
        post={**scoped(302), "manager": 404, "admin": 404},
    ),
    "crm:notification_preferences": Case(get=everyone(), post=everyone(200)),
    "crm:robots": Case(get=managers_only()),
    "crm:robot_add": Case(get=managers_only(), post=managers_only(200)),
    # The world's robot points at a closed local port: the test message fails, the page says so.
    "crm:robot_test": Case(kwargs=lambda w: {"pk": w.robot.pk}, post=managers_only(302)),
    # The API's pages for people (crm/api/views.py); its endpoints: tests/api/.
    "api:tokens": Case(get=everyone(), post=everyone(200)),
    "api:token_revoke": Case(
        kwargs=lambda w: {"pk": w.token.pk}, post={**scoped(302), "manager": 404, "admin": 404}
    ),
    "api:docs": Case(get=everyone()),
    "api:not_found": Case(get=open_to_all(404), post=open_to_all(404)),
    "api:schema": Case(
        get={**everyone(), "anonymous": 401}, post={**everyone(405), "anonymous": 401}
    ),
    "crm:robot_edit": Case(
        kwargs=lambda w: {"pk": w.robot.pk}, get=managers_only(), post=managers_only(200)
    ),
    # Customer accounts (issue 3).
    "accounts:list": Case(get=everyone()),
    "accounts:create": Case(get=everyone(), post=everyone(200)),
    "accounts:detail": Case(kwargs=lambda w: {"pk": w.account.pk}, get=scoped()),
    "accounts:org_map": Case(kwargs=lambda w: {"pk": w.account.pk}, get=scoped()),
    "accounts:section": Case(
        kwargs=lambda w: {"pk": w.account.pk, "category": "background"}, get=scoped()
    ),
    "accounts:contact": Case(kwargs=lambda w: {"pk": w.contact.pk}, get=scoped()),
    "accounts:edit": Case(kwargs=lambda w: {"pk": w.account.pk}, get=scoped(), post=scoped(200)),
    "accounts:contact_merge_pick": Case(kwargs=lambda w: {"pk": w.contact.pk}, get=scoped()),
    "accounts:contact_merge": Case(
        kwargs=lambda w: {"pk": w.contact.pk, "other_pk": _second_contact(w).pk},
        get=scoped(),
        post=scoped(302),
    ),
    "accounts:merge_pick": Case(kwargs=lambda w: {"pk": w.account.pk}, get=scoped()),
    "accounts:merge": Case(
        kwargs=lambda w: {"pk": w.account.pk, "other_pk": _second_account(w).pk},
        get=scoped(),
        post=scoped(302),
    ),
    "accounts:contact_create": Case(
        kwargs=lambda w: {"account_pk": w.account.pk}, get=scoped(), post=scoped(200)
    ),
    "accounts:contact_edit": Case(
        kwargs=lambda w: {"pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "accounts:part_create": Case(
        kwargs=lambda w: {"account_pk": w.account.pk, "kind": "installed"},
        get=scoped(),
        post=scoped(200),
    ),
    "accounts:part_edit": Case(
        kwargs=lambda w: {"account_pk": w.account.pk, "kind": "installed", "pk": w.installed.pk},
        get=scoped(),
        post=scoped(200),
    ),
    "accounts:profile_edit": Case(
        kwargs=lambda w: {"pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "accounts:part_delete": Case(
        kwargs=lambda w: {"account_pk": w.account.pk, "kind": "installed", "pk": w.installed.pk},
        get=None,
        post=scoped(302),
    ),
    "password_change": Case(get=everyone(), post=everyone(200)),
    "password_change_done": Case(get=everyone()),
    # Opportunities (issue 4).
    "opportunities:list": Case(get=everyone()),
    "opportunities:board": Case(get=everyone()),
    "opportunities:create": Case(get=everyone(), post=everyone(200)),
    "opportunities:detail": Case(kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped()),
    "opportunities:edit": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(200)
    ),
    "opportunities:outcome": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(200)
    ),
    # Posting the current move again is a bad request for those who may see the deal.
    "opportunities:move": Case(kwargs=lambda w: {"pk": w.opportunity.pk}, post=scoped(400)),
    "opportunities:leverage": Case(kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped()),
    "opportunities:stakeholder_add": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(200)
    ),
    "opportunities:stakeholder_edit": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "stakeholder_pk": w.stakeholder.pk},
        get=scoped(),
        post=scoped(200),
    ),
    "opportunities:stakeholder_remove": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "stakeholder_pk": w.stakeholder.pk},
        post=scoped(302),
    ),
    # Relationships and activities (issue 5).
    "relationships:contact": Case(kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped()),
    "relationships:account": Case(kwargs=lambda w: {"account_pk": w.account.pk}, get=scoped()),
    "relationships:log_for_contact": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:change_stage": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:edit": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:log_for_account": Case(
        kwargs=lambda w: {"account_pk": w.account.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:guide": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    # One click after logging 成为向导 (issue 17): an empty post is refused with a message.
    "relationships:mark_guide": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, post=scoped(302)
    ),
    "relationships:contact_list": Case(get=everyone()),
    "relationships:activities": Case(get=everyone()),
    "relationships:care": Case(get=everyone()),
    # Gift approvals are for managers of the owner's team (and admins) only.
    "relationships:approvals": Case(get=managers_only()),
    # Editing an activity: its author and their manager (and admins); an empty edit form
    # comes back with its errors; deleting one without evidence goes back to the account.
    "relationships:activity_edit": Case(
        kwargs=lambda w: {"pk": w.gift.pk}, get=scoped(), post=scoped()
    ),
    "relationships:activity_delete": Case(
        kwargs=lambda w: {"pk": w.gift.pk}, get=scoped(), post=scoped(302)
    ),
    "relationships:decide": Case(
        kwargs=lambda w: {"activity_pk": w.gift.pk}, post=managers_only(302)
    ),
    # Planned activities and to-dos (issue 19): the owner's plan and to-do; an empty form
    # comes back with its errors, a cancel or a tick goes back to the plans page.
    "relationships:plans": Case(get=everyone()),
    "relationships:plan_for_contact": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:plan_for_account": Case(
        kwargs=lambda w: {"account_pk": w.account.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:plan_done": Case(
        kwargs=lambda w: {"pk": w.plan.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:plan_reschedule": Case(
        kwargs=lambda w: {"pk": w.plan.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:plan_cancel": Case(kwargs=lambda w: {"pk": w.plan.pk}, post=scoped(302)),
    "relationships:todo_for_contact": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:todo_for_account": Case(
        kwargs=lambda w: {"account_pk": w.account.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:todo_done": Case(kwargs=lambda w: {"pk": w.todo.pk}, post=scoped(302)),
    # Greetings (issue 25): a festival's or the birthdays' preview shows each user their own
    # people (an empty post comes back asking for someone to greet); the owner's greeting
    # and the person's greetings page and preferences are scoped; actions go back to the list.
    "relationships:greetings": Case(get=everyone()),
    "relationships:greet_festival": Case(
        kwargs=lambda w: greetings_festival(w), get=everyone(), post=everyone(200)
    ),
    "relationships:greet_birthday": Case(get=everyone(), post=everyone(200)),
    "relationships:greet_contact": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped()
    ),
    "relationships:communication": Case(
        kwargs=lambda w: {"contact_pk": w.contact.pk}, get=scoped(), post=scoped(200)
    ),
    "relationships:greeting_cancel": Case(
        kwargs=lambda w: {"pk": greeting_of(w).pk}, post=scoped(302)
    ),
    "relationships:greeting_retry": Case(
        kwargs=lambda w: {"pk": greeting_of(w).pk}, post=scoped(302)
    ),
    "relationships:greeting_confirm": Case(
        kwargs=lambda w: {"pk": greeting_of(w).pk}, post=scoped(302)
    ),
    "opportunities:next_step_done": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(200)
    ),
    "opportunities:todo_for_deal": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(200)
    ),
    # Moves 3–6 (issue 6): one of each kind of record on the owner's deal.
    # An invalid inline form answers 400 with its errors (htmx swaps it in: cuilong.js).
    "opportunities:record_new": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "kind": "need"}, get=scoped(), post=scoped(400)
    ),
    "opportunities:record_edit": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "kind": "need", "item_pk": w.need.pk},
        get=scoped(),
        post=scoped(400),
    ),
    "opportunities:record_delete": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "kind": "need", "item_pk": w.need.pk},
        post=scoped(302),
    ),
    # Discounts are decided by a manager of the owner's team or an admin; the owner sees 403.
    "opportunities:negotiation_decide": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk, "item_pk": w.negotiation.pk},
        post={**scoped(302), "owner": 403},
    ),
    "opportunities:receivables": Case(get=everyone()),
    # Move 6 after the sale (issue 17): on a deal the user may see; the empty post is refused.
    "opportunities:satisfaction_new": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(400)
    ),
    "opportunities:referral_new": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk}, get=scoped(), post=scoped(400)
    ),
    # Dashboards (issue 7): everyone sees the pipeline of what they may see.
    "opportunities:pipeline": Case(get=everyone()),
    "opportunities:review": Case(
        kwargs=lambda w: {"pk": w.opportunity.pk},
        get=scoped(),
        post={**scoped(400), "owner": 403},
    ),
    # Import and export (issue 8).
    "opportunities:import": Case(get=everyone(), post=everyone(200)),
    "opportunities:import_batch": Case(
        kwargs=lambda w: {"pk": w.upload.pk}, get=uploader_only(), post=uploader_only()
    ),
    "opportunities:import_rejected": Case(
        kwargs=lambda w: {"pk": w.upload.pk}, get=uploader_only()
    ),
    # Not running: the page is told to reload (204 with HX-Refresh).
    # Learning from our deals (issue 23): everyone sees their own scope; only an admin applies
    # a calibrated probability (an empty POST names no move: 400).
    "relationships:gift_ledger": Case(get=everyone()),
    "relationships:trust_learning": Case(get=everyone()),
    "opportunities:learn": Case(
        get=everyone(), post={**everyone(403), "anonymous": LOGIN, "admin": 400}
    ),
    "opportunities:import_progress": Case(
        kwargs=lambda w: {"pk": w.upload.pk}, get=uploader_only(204)
    ),
    "opportunities:export": Case(
        kwargs=lambda w: {"what": "opportunities", "fmt": "csv"}, get=everyone()
    ),
    "opportunities:changes": Case(
        kwargs=lambda w: {"kind": "opportunity", "pk": w.opportunity.pk}, get=scoped()
    ),
    # The timeline, and a comment posted on it (back to the timeline).
    "opportunities:timeline": Case(
        kwargs=lambda w: {"of": "deal", "pk": w.opportunity.pk},
        get=scoped(),
        post=scoped(302),
        post_data=lambda w: {"body": "@manager 请看一下"},
    ),
}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"unnamed URL pattern {entry.pattern}: name it")
            yield f"{namespace}{entry.name}"


def test_every_url_has_an_expectation():
    # The API's routes have their own matrix (tests/api/test_access_matrix.py).
    names = set(named_patterns()) - api_route_names()
    assert names - set(EXPECTATIONS) == set(), "add these URLs to the expectation table"
    assert set(EXPECTATIONS) - names == set(), "these entries name no URL any more"


@pytest.fixture
def world(personas) -> World:
    return build_world(personas)


def request_as(client, world, persona, method, url, data):
    if persona != "anonymous":
        client.force_login(getattr(world.personas, persona))
    if method == "get":
        return client.get(url)
    return client.post(url, data)


def outcome(response):
    if response.status_code in (301, 302) and "/auth/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


CASES = [
    (name, method, persona)
    for name, case in EXPECTATIONS.items()
    for method in ("get", "post")
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_access(client, world, name, method, persona):
    case = EXPECTATIONS[name]
    url = reverse(name, kwargs=case.kwargs(world)) + case.query
    expected_table = case.get if method == "get" else case.post
    response = request_as(
        client, world, persona, method, url, case.post_data(world) if method == "post" else {}
    )
    if expected_table is None:
        # Not offered: anonymous visitors are sent to sign in first, everyone else gets 405.
        assert outcome(response) in {LOGIN, 405}, response
        return
    expected = expected_table[persona]
    assert outcome(response) == expected, f"{method.upper()} {url} as {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_staff_only(client, world, persona):
    url = reverse("admin:index")
    response = request_as(client, world, persona, "get", url, {})
    if persona == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_every_admin_changelist_opens_for_an_admin(client, world):
    from django.contrib import admin

    client.force_login(world.personas.admin)
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
