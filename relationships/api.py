"""The relationships app in the API: the contacts (with the contact list's filters, which live
here), and — see routes() — relationships and activities."""

from accounts.api import ContactViewSet as BaseContactViewSet
from relationships.filters import ContactFilter


class ContactViewSet(BaseContactViewSet):
    filterset_class = ContactFilter
    filterset_fields = None


def routes(router):
    router.register("contacts", ContactViewSet, basename="contact")
