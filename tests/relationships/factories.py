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


def festival_on(day, name_en="Test Day", name_zh="测试节"):
    """A festival that falls on `day` only (a one-year Gregorian rule)."""
    from relationships.models import Festival

    festival, _created = Festival.objects.get_or_create(
        name_en=name_en,
        calendar=Festival.Calendar.SOLAR,
        month=day.month,
        day=day.day,
        year=day.year,
        defaults={"name_zh": name_zh},
    )
    return festival


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
