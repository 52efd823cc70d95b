"""The dossier's facts and the admin's weights, read in a fixed number of queries per list of
accounts (the pure rule is accounts/dossier/).
"""

import functools
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Concat, StrIndex

from accounts.dossier import CHECKS, Assessment, DossierFacts, assess
from accounts.models import (
    Account,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    DossierCheckSetting,
    Function,
    InstalledProduct,
    Level,
    PersonalProfile,
    PurchasePlan,
)

# A birthday is known when its solar date or its lunar month is recorded (PersonalProfile).
KNOWN_BIRTHDAY = Q(profile__birthday__isnull=False) | Q(profile__lunar_birthday_month__isnull=False)


def dossier_weights() -> dict[str, int]:
    """The admin's weights as {code: weight}; a switched-off check weighs 0 (1 query)."""
    return {
        code: (weight if enabled else 0)
        for code, weight, enabled in DossierCheckSetting.objects.values_list(
            "code", "weight", "enabled"
        )
    }


def _nonblank(prefix: str, names: Iterable[str]) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{f"{prefix}{name}__gt": ""})
    return condition


def _grouped(queryset: QuerySet, key: str, **aggregates) -> tuple[str, QuerySet]:
    """`queryset`'s aggregates per account, with `key`, the lookup of the account id (as
    "account_id")."""
    return key, queryset.order_by().values(account_key=F(key)).annotate(**aggregates)


def _in_one_query(parts: dict[str, QuerySet]) -> dict[str, dict[int, dict]]:
    """Run the grouped aggregate querysets `parts` as one `UNION ALL` statement (one round trip
    instead of one per table): each row is tagged with its part and padded with zeros to the
    widest part. Returns {part: {account id: {aggregate: value}}}."""
    names = {
        tag: [name for name in queryset.query.annotations if name != "account_key"]
        for tag, queryset in parts.items()
    }
    width = max(len(columns) for columns in names.values())
    selects, params = [], []
    for number, (tag, queryset) in enumerate(parts.items()):
        sql, part_params = queryset.query.get_compiler(queryset.db).as_sql()
        columns = [connection.ops.quote_name(name) for name in names[tag]]
        columns += ["0"] * (width - len(columns))
        selects.append(
            f"SELECT {number} AS part, account_key, {', '.join(columns)} FROM ({sql}) part_{number}"
        )
        params.extend(part_params)
    tags = list(parts)
    result = {tag: {} for tag in tags}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for number, account, *values in cursor.fetchall():
            tag = tags[number]
            result[tag][account] = dict(zip(names[tag], values, strict=False))
    return result


# The known check codes, "|"-joined: a setting's code found at offset n of this string is
# _CHECK_AT[n] (the UNION's key column holds numbers, not codes).
_CODES = "|" + "|".join(check.code for check in CHECKS) + "|"
_CHECK_AT = {_CODES.index(f"|{check.code}|") + 1: check.code for check in CHECKS}


@functools.cache
def _weights_part() -> QuerySet:
    """The admin's weights as a part of the facts statement, keyed by the code's offset in
    _CODES (0 for a code no check has: ignored, as `assess` ignores it); a switched-off check
    weighs 0."""
    offset = StrIndex(Value(_CODES), Concat(Value("|"), "code", Value("|")))
    enabled_weight = Case(When(enabled=True, then=F("weight")), default=Value(0))
    return (
        DossierCheckSetting.objects.order_by()
        .values(account_key=offset)
        .annotate(weight=Max(enabled_weight))
    )


def dossier_facts(accounts: Sequence[Account]) -> dict[int, DossierFacts]:
    """The dossier facts of `accounts`, by account id: seven grouped aggregates (one per
    table) sent as one query, whatever the number of accounts or rows (none when `accounts`
    is empty)."""
    return _facts_and_weights(accounts, with_weights=False)[0]


@functools.cache
def _fact_parts() -> dict[str, tuple[str, QuerySet]]:
    """The facts' grouped aggregates, one per table, each with the lookup of its account id.
    Built once per process (building them costs more than running them) and narrowed to the
    accounts of each call."""
    interests = _nonblank("profile__", PersonalProfile.INTEREST_FIELDS)
    background = _nonblank("profile__", PersonalProfile.BACKGROUND_FIELDS)
    any_profile = (
        interests
        | background
        | _nonblank("profile__", ["major", "vacation_plans", "notes"])
        | KNOWN_BIRTHDAY
    )
    decision = Q(level=Level.DECISION)
    known_relationship = [
        choice
        for choice in CompetitorPresence.Relationship.values
        if choice != CompetitorPresence.Relationship.UNKNOWN
    ]
    parts = {
        "contacts": _grouped(
            Contact.objects.filter(is_active=True),
            "account_id",
            contacts=Count("pk"),
            decision_contacts=Count("pk", filter=decision),
            management_contacts=Count("pk", filter=Q(level=Level.MANAGEMENT)),
            contacts_with_manager=Count("pk", filter=Q(reports_to__isnull=False)),
            veto_holders=Count("pk", filter=Q(has_veto=True)),
            guides=Count("pk", filter=Q(is_guide=True)),
            profiles=Count("profile", filter=any_profile),
            profiles_with_interests=Count("profile", filter=interests),
            profiles_with_background=Count("profile", filter=background),
            profiles_with_birthday=Count("profile", filter=KNOWN_BIRTHDAY),
            decision_profiles=Count("profile", filter=decision & interests),
        ),
        "departments": _grouped(
            Department.objects.all(),
            "account_id",
            departments=Count("pk"),
            user_departments=Count("pk", filter=Q(function=Function.USER)),
            technical_departments=Count("pk", filter=Q(function=Function.TECHNICAL)),
            procurement_departments=Count("pk", filter=Q(function=Function.PROCUREMENT)),
            procurement_heads=Count(
                "pk", filter=Q(function=Function.PROCUREMENT, head__isnull=False)
            ),
            department_heads=Count("pk", filter=Q(head__isnull=False)),
            with_parent=Count("pk", filter=Q(parent__isnull=False)),
        ),
        "relations": _grouped(
            DepartmentRelation.objects.all(), "source__account_id", n=Count("pk")
        ),
        "ties": _grouped(ContactTie.objects.all(), "contact__account_id", n=Count("pk")),
        "installed": _grouped(
            InstalledProduct.objects.all(),
            "account_id",
            installed_products=Count("pk"),
            installed_products_rated=Count("pk", filter=Q(satisfaction__isnull=False)),
            competitor_products=Count("pk", filter=Q(vendor=InstalledProduct.Vendor.COMPETITOR)),
        ),
        "plans": _grouped(
            PurchasePlan.objects.all(),
            "account_id",
            purchase_plans=Count("pk"),
            purchase_plans_with_problem=Count("pk", filter=Q(problem__gt="")),
        ),
        "presences": _grouped(
            CompetitorPresence.objects.all(),
            "account_id",
            competitors_present=Count("pk"),
            with_products=Count("pk", filter=Q(products_in_use__gt="")),
            competitors_rated=Count("pk", filter=Q(satisfaction__isnull=False)),
            competitor_reps_known=Count("pk", filter=Q(rep_name__gt="")),
            competitor_rep_relations_known=Count(
                "pk", filter=Q(rep_style__gt="") | Q(rep_relationship__in=known_relationship)
            ),
        ),
    }
    return parts


def _facts_and_weights(
    accounts: Sequence[Account], *, with_weights: bool
) -> tuple[dict[int, DossierFacts], dict[str, int]]:
    """The dossier facts of `accounts` by id and, `with_weights`, the admin's weights (as
    `dossier_weights`, for the checks that exist), all in one statement."""
    ids = [account.pk for account in accounts]
    if not ids:
        return {}, {}
    parts = {
        tag: queryset.filter(**{f"{key}__in": ids})
        for tag, (key, queryset) in _fact_parts().items()
    }
    if with_weights:
        parts["weights"] = _weights_part().all()
    grouped = _in_one_query(parts)
    weights = {
        _CHECK_AT[offset]: row["weight"]
        for offset, row in grouped.get("weights", {}).items()
        if offset in _CHECK_AT
    }
    contacts, departments = grouped["contacts"], grouped["departments"]
    relations, ties = grouped["relations"], grouped["ties"]
    installed, plans, presences = grouped["installed"], grouped["plans"], grouped["presences"]
    facts = {}
    for account in accounts:
        pk = account.pk
        c, d = contacts.get(pk, {}), departments.get(pk, {})
        i, p = installed.get(pk, {}), presences.get(pk, {})
        facts[pk] = DossierFacts(
            has_contact_details=bool(
                account.phone or account.email or account.website or account.address
            ),
            has_industry=bool(account.industry),
            has_business_scope=bool(account.business_scope),
            has_finances=account.revenue is not None or bool(account.finance_notes),
            has_size=account.employees is not None or account.year_established is not None,
            installed_products=i.get("installed_products", 0),
            installed_products_rated=i.get("installed_products_rated", 0),
            purchase_plans=plans.get(pk, {}).get("purchase_plans", 0),
            purchase_plans_with_problem=plans.get(pk, {}).get("purchase_plans_with_problem", 0),
            departments=d.get("departments", 0),
            user_departments=d.get("user_departments", 0),
            technical_departments=d.get("technical_departments", 0),
            procurement_departments=d.get("procurement_departments", 0),
            procurement_heads=d.get("procurement_heads", 0),
            department_heads=d.get("department_heads", 0),
            department_relations=d.get("with_parent", 0) + relations.get(pk, {}).get("n", 0),
            contacts=c.get("contacts", 0),
            decision_contacts=c.get("decision_contacts", 0),
            management_contacts=c.get("management_contacts", 0),
            contacts_with_manager=c.get("contacts_with_manager", 0),
            veto_holders=c.get("veto_holders", 0),
            guides=c.get("guides", 0),
            profiles=c.get("profiles", 0),
            profiles_with_interests=c.get("profiles_with_interests", 0),
            profiles_with_background=c.get("profiles_with_background", 0),
            profiles_with_birthday=c.get("profiles_with_birthday", 0),
            decision_profiles=c.get("decision_profiles", 0),
            ties=ties.get(pk, {}).get("n", 0),
            competitors_present=p.get("competitors_present", 0),
            competitor_products_known=p.get("with_products", 0) + i.get("competitor_products", 0),
            competitors_rated=p.get("competitors_rated", 0),
            competitor_reps_known=p.get("competitor_reps_known", 0),
            competitor_rep_relations_known=p.get("competitor_rep_relations_known", 0),
        )
    return facts, weights


def assessments(accounts: Sequence[Account]) -> dict[int, Assessment]:
    """Dossier completeness of `accounts` by id (1 query: the facts and the weights)."""
    facts, weights = _facts_and_weights(accounts, with_weights=True)
    return {pk: assess(account_facts, weights) for pk, account_facts in facts.items()}
