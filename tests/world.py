"""A small world of records owned by the `owner` persona, for the access matrix and the
hostile-input test: one of each kind of record a URL can point at."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import InstalledProduct
from crm.agenda import CalendarFeed
from crm.api.models import ApiToken
from crm.notifications.models import Notification, RobotChannel
from imports.models import ImportBatch
from opportunities.models import (
    ConcernSignal,
    MoveThresholdSetting,
    Need,
    NeedCategory,
    NegotiationItem,
)
from opportunities.moves import defaults as moves_defaults
from relationships.defaults import ensure_defaults
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    PlannedActivity,
    Todo,
)
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory
from tests.opportunities.moves_factories import fill_moves


@dataclass
class World:
    personas: object
    account: object
    contact: object
    installed: object
    opportunity: object
    stakeholder: object
    gift: object
    need: object
    negotiation: object
    upload: object
    plan: object
    todo: object
    notification: object
    robot: object
    feed_token: str
    token: object


def build_world(personas) -> World:
    account = AccountFactory(owner=personas.owner, name="江南银行")
    contact = ContactFactory(account=account, name="张伟")
    installed = InstalledProduct.objects.create(account=account, purpose="ERP", brand="SAP")
    opportunity = OpportunityFactory(account=account, owner=personas.owner, name="核心系统升级")
    stakeholder = StakeholderFactory(opportunity=opportunity, contact=contact)
    ensure_defaults(ActivityType, CoolingThreshold, Festival)  # tests run without migrations
    gift = Activity.objects.create(
        account=account,
        owner=personas.owner,
        type=ActivityType.objects.get(code="small_gift"),
        cost=800,
        approval_status=Activity.Approval.PENDING,
    )
    gift.contacts.add(contact)
    moves_defaults.ensure_defaults(NeedCategory, ConcernSignal, MoveThresholdSetting)
    fill_moves(opportunity)  # one record of every move 3–6 kind
    upload = ImportBatch.objects.create(
        kind="accounts", filename="accounts.csv", content=b"name\n", created_by=personas.manager
    )
    plan = PlannedActivity.objects.create(
        account=account,
        owner=personas.owner,
        type=ActivityType.objects.get(code="meal_tea"),
        starts_at=timezone.now() + timedelta(days=1),
    )
    plan.contacts.add(contact)
    todo = Todo.objects.create(
        account=account,
        contact=contact,
        owner=personas.owner,
        title="回电",
        due_date=timezone.localdate(),
    )
    notification = Notification.objects.create(
        user=personas.owner, kind="todo_due", key=f"todo:{todo.pk}", title="回电", url="/"
    )
    robot = RobotChannel.objects.create(
        team=personas.owner.memberships.get().team,
        platform="wecom",
        name="华东一组群",
        # Nothing listens there: a test message fails at once, and never leaves the machine.
        webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k",
        language="zh-hans",
    )
    return World(
        personas=personas,
        account=account,
        contact=contact,
        installed=installed,
        opportunity=opportunity,
        stakeholder=stakeholder,
        gift=gift,
        need=Need.objects.filter(opportunity=opportunity).first(),
        negotiation=NegotiationItem.objects.filter(opportunity=opportunity).first(),
        upload=upload,
        plan=plan,
        todo=todo,
        notification=notification,
        robot=robot,
        feed_token=CalendarFeed.reset(personas.owner),
        token=ApiToken.issue(
            user=personas.owner,
            name="ERP",
            scope=ApiToken.Scope.WRITE,
            expires_at=timezone.now() + timedelta(days=30),
        )[0],
    )
