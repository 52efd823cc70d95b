"""An owner given to a pooled account by another way than the pool's page (the account form,
Django admin) takes it out of the pool, recorded as an assignment."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Account
from pool.models import PooledAccount, PoolMove


@receiver(post_save, sender=Account, dispatch_uid="pool_owner_given")
def owner_given(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.owner_id is None:
        return
    row = PooledAccount.objects.filter(pk=instance.pk).select_related("team").first()
    if row is None:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    by = getattr(request, "user", None)
    PoolMove.objects.create(
        account=instance,
        team=row.team,
        kind=PoolMove.Kind.ASSIGNED,
        to_owner=instance.owner,
        by=by if by is not None and by.is_authenticated else None,
        at=timezone.now(),
    )
    row.delete()
