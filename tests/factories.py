import factory

from crm.models import Membership, Team, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.REP


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Account"

    name = factory.Sequence(lambda n: f"Account {n}")
    owner = factory.SubFactory(UserFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Department"

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Contact"

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Competitor"

    name = factory.Sequence(lambda n: f"Competitor {n}")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.Relationship"

    contact = factory.SubFactory(ContactFactory)
