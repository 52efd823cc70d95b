"""Volume data, step 3: relationships for most contacts and a year of activities (see
`manage.py seed_volume`)."""

from datetime import timedelta

from django.utils import timezone

from crm.volume import BATCH, PREFIX
from relationships.models import Activity, ActivityType, Personality, Relationship, Stage

NOTES = [
    "电话沟通项目进展 / called about progress",
    "拜访信息中心，介绍方案 / visited IT with the proposal",
    "技术交流，演示核心功能 / technical exchange and demo",
    "客户说最近忙，再等等 / customer busy, wait a little",
    "一起吃饭，聊到孩子升学 / dinner, talked about schooling",
]


def clear() -> None:
    Activity.objects.filter(account__name__startswith=PREFIX).delete()


def seed(context: dict) -> None:
    rng, size = context["rng"], context["size"]
    contacts, accounts = context["contacts"], context["accounts"]
    stages = list(Stage.values)
    personalities = list(Personality.values)
    Relationship.objects.bulk_create(
        [
            Relationship(
                contact=contact,
                stage=rng.choices(stages, weights=[50, 30, 15, 5])[0],
                personality=rng.choice(personalities),
            )
            for contact in contacts
            if rng.random() < 0.6
        ],
        batch_size=BATCH,
    )
    types = list(ActivityType.objects.filter(is_gift=False))
    today = timezone.localdate()
    per_account = size["contacts"]
    activities = Activity.objects.bulk_create(
        [
            Activity(
                account=accounts[index % len(accounts)],
                owner_id=accounts[index % len(accounts)].owner_id,
                type=rng.choice(types),
                date=today - timedelta(days=rng.randrange(0, 365)),
                notes=rng.choice(NOTES),
                next_step="跟进 / follow up" if rng.random() < 0.3 else "",
                next_step_date=today + timedelta(days=rng.randrange(1, 30))
                if rng.random() < 0.3
                else None,
            )
            for index in range(size["activities"])
        ],
        batch_size=BATCH,
    )
    through = Activity.contacts.through
    links = []
    for index, activity in enumerate(activities):
        first = (index % len(accounts)) * per_account
        links.append(
            through(
                activity_id=activity.pk, contact_id=contacts[first + rng.randrange(per_account)].pk
            )
        )
    through.objects.bulk_create(links, batch_size=BATCH)
