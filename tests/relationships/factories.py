import datetime

import factory
from django.utils import timezone

from tests.factories import AccountFactory, UserFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity of `type` (pass one from the `types` fixture) with `contacts`."""

    class Meta:
        model = "relationships.Activity"
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    owner = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    notes = factory.Sequence(lambda n: f"activity {n}")

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


class PlannedActivityFactory(factory.django.DjangoModelFactory):
    """A planned activity of `type` (from the `types` fixture) with `contacts`, tomorrow."""

    class Meta:
        model = "relationships.PlannedActivity"
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    owner = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


class TodoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.Todo"

    account = factory.SubFactory(AccountFactory)
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"to-do {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
