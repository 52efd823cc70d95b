"""A small world of records owned by the `owner` persona, for the access matrix and the
hostile-input test: one of each kind of record a URL can point at."""

from dataclasses import dataclass

from accounts.models import InstalledProduct
from imports.models import ImportBatch
from opportunities.models import ConcernSignal, MovesSetting, Need, NeedCategory, NegotiationItem
from opportunities.moves import defaults as moves_defaults
from relationships.defaults import ensure_defaults
from relationships.models import Activity, ActivityType, CoolingThreshold, Festival
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
    moves_defaults.ensure_defaults(NeedCategory, ConcernSignal, MovesSetting)
    fill_moves(opportunity)  # one record of every move 3–6 kind
    upload = ImportBatch.objects.create(
        kind="accounts", filename="accounts.csv", content=b"name\n", created_by=personas.manager
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
    )
