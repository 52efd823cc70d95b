import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import AccountFactory, ContactFactory, UserFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "opportunities.Product"

    name = factory.Sequence(lambda n: f"Product {n}")
    series = "ERP"
    list_price = Decimal("1000.00")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "opportunities.Opportunity"

    account = factory.SubFactory(AccountFactory)
    owner = factory.LazyAttribute(lambda o: o.account.owner)
    name = factory.Sequence(lambda n: f"Deal {n}")
    expected_close_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
    next_step = "Call the CFO"
    next_step_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class LineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "opportunities.LineItem"

    opportunity = factory.SubFactory(OpportunityFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
    unit_price = Decimal("1000.00")


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "opportunities.Stakeholder"
        skip_postgeneration_save = True

    opportunity = factory.SubFactory(OpportunityFactory)
    contact = factory.LazyAttribute(lambda s: ContactFactory(account=s.opportunity.account))

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        from opportunities.models import StakeholderRole

        for role in extracted or []:
            StakeholderRole.objects.create(stakeholder=obj, role=role)


__all__ = ["UserFactory"]
