"""Likely duplicates (issue 20): the accounts a new or edited account may repeat, the people
an account already has under the same number or e-mail, and the groups of look-alike
accounts on the duplicates page.

Matches are looked for among the accounts the user may see only (a list of another team's
customers would leak them); the one code that must never repeat, the 统一社会信用代码, is
also refused by a unique constraint for everyone.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.identity import CompanyKey, company_key, web_domain
from accounts.models import Account

REASONS = {
    "uscc": _("same unified social credit code"),
    "name": _("same name once legal forms, brackets and spaces are left out"),
    "phone": _("same phone number"),
    "website": _("same website"),
    "mobile": _("same mobile"),
    "email": _("same e-mail"),
}
REASONS_OF_PEOPLE = {"name": _("same name")}


def company_key_expression(field: str = "name"):
    """accounts.identity.company_key in SQL."""
    return CompanyKey(F(field))


def page_url(record) -> str:
    name = "accounts:detail" if isinstance(record, Account) else "accounts:contact"
    return reverse(name, args=[record.pk])


@dataclass
class Duplicate:
    record: object
    reasons: list

    @property
    def url(self):
        return page_url(self.record)

    @property
    def reason_text(self):
        reasons = REASONS if isinstance(self.record, Account) else REASONS | REASONS_OF_PEOPLE
        return ", ".join(str(reasons[r]) for r in self.reasons)


def for_account(user, *, name, uscc="", phone="", website="", exclude_pk=None, limit=5):
    """Visible accounts that look like the one described, the strongest reason first."""
    key, domain = company_key(name), web_domain(website)
    tests = {
        "uscc": Q(uscc=uscc) if uscc else None,
        "name": Q(name_key=key) if key else None,
        "phone": Q(phone=phone) if phone else None,
        "website": Q(website__icontains=domain) if domain else None,
    }
    tests = {reason: test for reason, test in tests.items() if test is not None}
    if not tests:
        return []
    candidates = (
        Account.objects.visible_to(user)
        .annotate(name_key=company_key_expression())
        .exclude(pk=exclude_pk)
        .select_related("owner")
    )
    condition = Q()
    for test in tests.values():
        condition |= test
    found = []
    for account in candidates.filter(condition).order_by("name", "pk")[:limit]:
        reasons = [r for r in tests if _meets(r, account, uscc, key, phone, domain)]
        found.append(Duplicate(account, reasons))
    return sorted(found, key=lambda d: list(REASONS).index(d.reasons[0]))


def _meets(reason, account, uscc, key, phone, domain):
    return {
        "uscc": account.uscc == uscc,
        "name": account.name_key == key,
        "phone": account.phone == phone,
        "website": bool(domain) and web_domain(account.website) == domain,
    }[reason]


def for_contact(account, *, mobile="", email="", exclude_pk=None):
    """The account's people with the same mobile or e-mail."""
    condition = Q()
    if mobile:
        condition |= Q(mobile=mobile)
    if email:
        condition |= Q(email__iexact=email)
    if not condition:
        return []
    people = account.contacts.filter(condition).exclude(pk=exclude_pk).order_by("name", "pk")
    return [
        Duplicate(
            person,
            [
                r
                for r, hit in (
                    ("mobile", mobile and person.mobile == mobile),
                    ("email", email and person.email.lower() == email.lower()),
                )
                if hit
            ],
        )
        for person in people[:5]
    ]


def account_groups(user):
    """Groups of visible accounts sharing a name key or a phone number, biggest first: a
    queryset of (reason, value, count) rows for the duplicates page to page through."""
    visible = Account.objects.visible_to(user)
    by_name = (
        visible.annotate(key=company_key_expression())
        .exclude(key="")
        .values("key")
        .annotate(count=Count("pk"), reason=Value("name"))
        .filter(count__gt=1)
        .values_list("reason", "key", "count")
    )
    by_phone = (
        visible.exclude(phone="")
        .values("phone")
        .annotate(count=Count("pk"), reason=Value("phone"))
        .filter(count__gt=1)
        .values_list("reason", "phone", "count")
    )
    return by_name.union(by_phone, all=True).order_by("-count")


def group_members(user, reason, value):
    visible = Account.objects.visible_to(user).select_related("owner")
    if reason == "name":
        return visible.annotate(key=company_key_expression()).filter(key=value).order_by("pk")
    return visible.filter(phone=value).order_by("pk")


CONFIRMED = "duplicates_seen"


def unconfirmed(request, found):
    """The duplicates to show before saving: none when the user already saw exactly these
    and chose to save anyway (the form sends their ids back in CONFIRMED)."""
    seen = request.POST.get(CONFIRMED, "")
    return [] if found and seen == confirmation(found) else found


def confirmation(found) -> str:
    return ",".join(str(d.record.pk) for d in sorted(found, key=lambda d: d.record.pk))


def account_check(request, form, exclude_pk=None):
    """Duplicates of a valid account form's data; on an edit only when what identifies the
    account changed."""
    fields = ("name", "uscc", "phone", "website")
    if exclude_pk and not set(fields) & set(form.changed_data):
        return []
    data = form.cleaned_data
    found = for_account(
        request.user,
        name=data.get("name", ""),
        uscc=data.get("uscc", ""),
        phone=data.get("phone", ""),
        website=data.get("website", ""),
        exclude_pk=exclude_pk,
    )
    return unconfirmed(request, found)


def contact_check(request, form, account, exclude_pk=None):
    if exclude_pk and not {"mobile", "email"} & set(form.changed_data):
        return []
    data = form.cleaned_data
    found = for_contact(
        account, mobile=data.get("mobile", ""), email=data.get("email", ""), exclude_pk=exclude_pk
    )
    return unconfirmed(request, found)
