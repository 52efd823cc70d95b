"""Factories for the dossier rows the shared tests/factories.py does not have."""

import factory

from tests.factories import AccountFactory, ContactFactory, DepartmentFactory


class InstalledProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.InstalledProduct"

    account = factory.SubFactory(AccountFactory)
    purpose = "ERP"
    brand = factory.Sequence(lambda n: f"Brand {n}")


class PurchasePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.PurchasePlan"

    account = factory.SubFactory(AccountFactory)
    title = factory.Sequence(lambda n: f"Plan {n}")


class CompetitorPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.CompetitorPresence"

    account = factory.SubFactory(AccountFactory)
    competitor = factory.SubFactory("tests.factories.CompetitorFactory")


class DepartmentRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.DepartmentRelation"

    source = factory.SubFactory(DepartmentFactory)
    target = factory.SubFactory(
        DepartmentFactory, account=factory.SelfAttribute("..source.account")
    )
    kind = "constrains"


class ContactTieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.ContactTie"

    contact = factory.SubFactory(ContactFactory)
    other = factory.SubFactory(ContactFactory, account=factory.SelfAttribute("..contact.account"))
    kind = "friend"


class PersonalProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.PersonalProfile"

    contact = factory.SubFactory(ContactFactory)
    hobbies = "Go (围棋)"
