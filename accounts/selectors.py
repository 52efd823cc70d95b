"""Reads used by the accounts screens; every function costs a fixed number of queries."""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Concat, StrIndex
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from crm import history, policy
from crm.models import User

# --- dossier -----------------------------------------------------------------------------------

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


# --- users a form may offer ----------------------------------------------------------------------


def shareable_users(user) -> QuerySet:
    """Users `user` may share an account with: everyone they can see plus the members of their
    own teams (a rep cannot see a teammate's records, but may share with them)."""
    return policy.share_candidates(user)


# --- account page ------------------------------------------------------------------------------


@dataclass
class AccountPage:
    account: Account
    assessment: Assessment
    departments: list[Department]
    department_relations: list[DepartmentRelation]
    contacts: list[Contact]
    installed_products: list[InstalledProduct]
    purchase_plans: list[PurchasePlan]
    presences: list[CompetitorPresence]
    ties: list[ContactTie]
    changes: list = field(default_factory=list)

    @property
    def active_contacts(self):
        return [c for c in self.contacts if c.is_active]


def account_page(account: Account, *, with_changes: bool = True) -> AccountPage:
    """Everything the account page shows: 9 queries for the rows, 8 for the dossier, 6 for
    the recent changes."""
    departments = list(account.departments.select_related("head", "parent").order_by("name"))
    relations = list(
        DepartmentRelation.objects.filter(source__account=account)
        .select_related("source", "target")
        .order_by("source__name", "target__name")
    )
    contacts = list(
        account.contacts.select_related("department", "reports_to", "profile").order_by(
            "-is_active", "name"
        )
    )
    page = AccountPage(
        account=account,
        assessment=assessments([account])[account.pk],
        departments=departments,
        department_relations=relations,
        contacts=contacts,
        installed_products=list(
            account.installed_products.select_related("competitor").order_by("purpose", "pk")
        ),
        purchase_plans=list(account.purchase_plans.order_by("expected_date", "pk")),
        presences=list(
            account.competitor_presences.select_related("competitor").order_by("competitor__name")
        ),
        ties=list(
            ContactTie.objects.filter(contact__account=account)
            .select_related("contact", "other")
            .order_by("contact__name", "other__name")
        ),
    )
    if with_changes:
        page.changes = account_changes(account)
    return page


# --- history (the generic part lives in crm/history.py) ---------------------------------------

RECENT = history.RECENT
Change = history.Change
_diffs, _events = history.diffs, history.events


@dataclass(frozen=True)
class _HistoryPart:
    """A kind of row whose history belongs to the account: its model, what the page calls it
    and the fields its name is made of (the model's __str__ fields, or a related name)."""

    model: type
    what: str
    name_fields: tuple[str, ...]
    named_by_str: bool = True  # else the name is the one field's value

    def name(self, values: Sequence) -> str:
        if not self.named_by_str:
            return values[0] or ""
        return str(self.model(**dict(zip(self.name_fields, values, strict=True))))


_HISTORY_PARTS = (
    _HistoryPart(InstalledProduct, gettext_lazy("installed product"), ("brand", "product")),
    _HistoryPart(PurchasePlan, gettext_lazy("purchase plan"), ("title",)),
    _HistoryPart(Department, gettext_lazy("department"), ("name",)),
    _HistoryPart(Contact, gettext_lazy("contact"), ("name",)),
    _HistoryPart(
        CompetitorPresence,
        gettext_lazy("competitor presence"),
        ("competitor__name",),
        named_by_str=False,
    ),
)
# Who made a change: the columns of the user that a change shows (User.__str__).
_WHO = ("id", "username", "first_name", "last_name")
_NAME_WIDTH = 2


@functools.cache
def _history_rows() -> tuple[QuerySet, ...]:
    """Each part's history rows as the events' columns, alike for the UNION (built once per
    process, narrowed to the rows of each call)."""
    rows = []
    for number, part in enumerate(_HISTORY_PARTS):
        names = [F(name) for name in part.name_fields]
        names += [Value("")] * (_NAME_WIDTH - len(names))
        rows.append(
            part.model.history.order_by().values(
                part=Value(number),
                when=F("history_date"),
                kind=F("history_type"),
                **{f"who_{name}": F(f"history_user__{name}") for name in _WHO},
                **{f"name_{index}": name for index, name in enumerate(names)},
            )
        )
    return tuple(rows)


def _who(values: dict) -> User | None:
    """The history row's user, loaded from the row's own columns (the others deferred)."""
    if values["who_id"] is None:
        return None
    names = [f.attname for f in User._meta.concrete_fields if f.attname in _WHO]
    return User.from_db(connection.alias, names, [values[f"who_{name}"] for name in names])


def part_events(account: Account, limit: int = RECENT) -> list[Change]:
    """Added / changed / deleted events of the account's rows: the last `limit` of each kind
    in one UNION ALL statement (each kind's newest rows picked in its own subquery)."""
    selects = []
    for part, rows in zip(_HISTORY_PARTS, _history_rows(), strict=True):
        newest = part.model.history.filter(account_id=account.pk).order_by("-history_date")
        selects.append(rows.filter(history_id__in=newest.values("history_id")[:limit]))
    events = []
    for row in selects[0].union(*selects[1:], all=True):
        part = _HISTORY_PARTS[row["part"]]
        name = part.name([row[f"name_{index}"] for index in range(len(part.name_fields))])
        events.append(Change(row["when"], _who(row), row["kind"], str(part.what), name))
    return events


def account_changes(account: Account, limit: int = RECENT) -> list[Change]:
    """The last changes to the account and its dossier rows (2 queries: the account's own
    history, its rows' events)."""
    changes = history.own_changes(Account, account.pk, str(Account._meta.verbose_name), limit)
    return history.newest(changes + part_events(account, limit), limit)


def contact_changes(contact: Contact, limit: int = RECENT) -> list[Change]:
    """The last changes to the contact, their personal profile and their ties (3 queries)."""
    changes = history.own_changes(Contact, contact.pk, _("contact"), limit)
    profile = list(
        PersonalProfile.history.filter(contact_id=contact.pk)
        .select_related("history_user")
        .order_by("-history_date")[: limit + 1]
    )
    changes += _diffs(profile, PersonalProfile, limit, _("personal profile"), name=lambda r: "")
    changes += _events(
        ContactTie.history.filter(Q(contact_id=contact.pk) | Q(other_id=contact.pk)).select_related(
            "contact", "other"
        ),
        limit,
        _("friend or rival"),
        name=lambda r: f"{r.contact.name if r.contact else ''} → {r.other.name if r.other else ''}",
    )
    return history.newest(changes, limit)


# --- contact page ------------------------------------------------------------------------------


def contact_page(contact: Contact) -> dict:
    """The contact page's rows beyond the contact itself (4 queries + 3 for the changes)."""
    return {
        "reports": list(contact.reports.order_by("-is_active", "name")),
        "ties_out": list(contact.ties.select_related("other").order_by("other__name")),
        "ties_in": list(contact.tied_by.select_related("contact").order_by("contact__name")),
        "headed_departments": list(contact.headed_departments.order_by("name")),
        "changes": contact_changes(contact),
    }


# --- org map -----------------------------------------------------------------------------------

LEVELS_TOP_DOWN = [Level.DECISION, Level.MANAGEMENT, Level.OPERATIONAL]
FUNCTIONS = [Function.USER, Function.TECHNICAL, Function.PROCUREMENT, Function.OTHER]


@dataclass
class OrgMap:
    rows: list  # [(level, [(function, [contacts])])]
    tree: list  # [(contact, depth)] in reports-to order
    department_tree: list  # [(department, depth)]
    empty_cells: int
    decision_empty: bool


def _flatten(nodes: list, parent_of) -> list:
    """Depth-first (node, depth) pairs of a forest; a node whose parent is missing (or which
    sits in a loop) becomes a root, so every node appears exactly once."""
    ids = {node.pk for node in nodes}
    children = defaultdict(list)
    roots = []
    for node in nodes:
        parent_id = parent_of(node)
        (children[parent_id] if parent_id in ids else roots).append(node)
    result, seen = [], set()

    def walk(node, depth):
        if node.pk in seen:
            return
        seen.add(node.pk)
        result.append((node, depth))
        for child in children[node.pk]:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    for node in nodes:  # nodes caught in a loop have no root; show them anyway
        walk(node, 0)
    return result


def org_map(account: Account) -> OrgMap:
    """The level × function grid and the reports-to tree of the account's current contacts,
    and the department tree (2 queries)."""
    level_rank = {level: i for i, level in enumerate(LEVELS_TOP_DOWN)}
    contacts = sorted(
        account.contacts.active().select_related("department"),
        key=lambda c: (level_rank.get(c.level, 9), c.name),
    )
    cells = defaultdict(list)
    for contact in contacts:
        cells[(contact.level, contact.function)].append(contact)
    rows = [
        (level, [(function, cells[(level, function)]) for function in FUNCTIONS])
        for level in LEVELS_TOP_DOWN
    ]
    departments = list(account.departments.select_related("head").order_by("name"))
    return OrgMap(
        rows=rows,
        tree=_flatten(contacts, lambda c: c.reports_to_id),
        department_tree=_flatten(departments, lambda d: d.parent_id),
        # "Other" is not a function of the method: an empty "other" cell is no gap.
        empty_cells=sum(
            1 for level in LEVELS_TOP_DOWN for f in FUNCTIONS[:3] if not cells[(level, f)]
        ),
        decision_empty=not any(cells[(Level.DECISION, f)] for f in FUNCTIONS),
    )
