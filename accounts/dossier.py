"""Dossier completeness (客户资料完整度), move 1 of the method (METHOD.md §3.3, §3.6).

A pure module: plain facts in, plain scores and explanations out; no database access.
The selector (`accounts.selectors.dossier_facts`) gathers the facts with a bounded number of
aggregate queries; admins tune the weights (`DossierCheckSetting`), which arrive here as a plain
``{code: weight}`` dict (weight 0 switches a check off).

Every check is a *threshold on what is known* ("a decision-level contact is known"), never a
ratio over the records ("every department's head is known"): recording one more department,
contact or competitor must never lower the score, or reps would learn to record less. Gaps of
single records (a department without a head, a competitor without a satisfaction rating) are
flagged in the account page's tables instead.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The four data categories of METHOD.md §3.3."""

    BACKGROUND = "background", _("background and current usage (背景资料)")
    ORGANISATION = "organisation", _("organisation (组织机构资料)")
    PERSONAL = "personal", _("personal (个人资料)")
    COMPETITION = "competition", _("competition (竞争对手资料)")


@dataclass(frozen=True)
class DossierFacts:
    """What is known about one account, as counts and flags (all "more is more known")."""

    # Category 1: the account's own record.
    has_contact_details: bool = False  # phone, email, website or address
    has_industry: bool = False
    has_business_scope: bool = False
    has_finances: bool = False  # revenue or finance notes
    has_size: bool = False  # employees or year established
    installed_products: int = 0
    installed_products_rated: int = 0  # with the customer's satisfaction
    purchase_plans: int = 0
    purchase_plans_with_problem: int = 0
    # Category 2: departments and contacts.
    departments: int = 0
    user_departments: int = 0
    technical_departments: int = 0
    procurement_departments: int = 0
    procurement_heads: int = 0  # procurement & finance departments whose head is known
    department_heads: int = 0
    department_relations: int = 0
    contacts: int = 0
    decision_contacts: int = 0
    management_contacts: int = 0
    contacts_with_manager: int = 0  # reports-to known
    veto_holders: int = 0
    guides: int = 0
    # Category 3: personal profiles and ties.
    profiles: int = 0
    profiles_with_interests: int = 0  # hobbies, sports, food or reading
    profiles_with_background: int = 0  # family, hometown or university
    profiles_with_birthday: int = 0
    decision_profiles: int = 0  # decision-level contacts with interests recorded
    ties: int = 0
    # Category 4: competitors at the account.
    competitors_present: int = 0
    competitor_products_known: int = 0  # presences with products, or competitor installed base
    competitors_rated: int = 0  # presences with the customer's satisfaction
    competitor_reps_known: int = 0
    competitor_rep_relations_known: int = 0  # their rep's style or relationship known


@dataclass(frozen=True)
class Check:
    code: str
    category: Category
    default_weight: int
    label: str  # what is known when the check is met
    question: str  # what to find out next when it is not
    test: Callable[[DossierFacts], bool]


def _at_least(name: str, n: int = 1) -> Callable[[DossierFacts], bool]:
    return lambda facts: getattr(facts, name) >= n


BG, ORG, PER, COMP = (
    Category.BACKGROUND,
    Category.ORGANISATION,
    Category.PERSONAL,
    Category.COMPETITION,
)

# The default checks and weights of METHOD.md §3.3 (four categories), §3.4 (function × level)
# and §3.2 (the guide, and a second guide as a double safeguard). Weights are relative within a
# category; the overall score weighs every check against all others.
CHECKS: tuple[Check, ...] = (
    Check(
        "background_contact_details",
        BG,
        1,
        _("The account's contact details are known"),
        _("Find the account's address, switchboard, website or email."),
        _at_least("has_contact_details"),
    ),
    Check(
        "background_industry",
        BG,
        1,
        _("The industry is known"),
        _("Which industry is the account in?"),
        _at_least("has_industry"),
    ),
    Check(
        "background_business_scope",
        BG,
        1,
        _("The business scope is known"),
        _("What is the account's business scope?"),
        _at_least("has_business_scope"),
    ),
    Check(
        "background_finances",
        BG,
        1,
        _("The finances are known"),
        _("How big is the account: annual revenue, financial situation?"),
        _at_least("has_finances"),
    ),
    Check(
        "background_size",
        BG,
        1,
        _("Size and age are known"),
        _("How many employees does the account have, and since when does it exist?"),
        _at_least("has_size"),
    ),
    Check(
        "background_installed_base",
        BG,
        2,
        _("The installed base is known"),
        _("What products does the customer use today: purpose, brand, quantity, years in use?"),
        _at_least("installed_products"),
    ),
    Check(
        "background_installed_satisfaction",
        BG,
        1,
        _("Satisfaction with the installed base is known"),
        _("How satisfied is the customer with the products they use today?"),
        _at_least("installed_products_rated"),
    ),
    Check(
        "background_purchase_plans",
        BG,
        2,
        _("Recent purchase plans are known"),
        _("What does the customer plan to buy in the coming months?"),
        _at_least("purchase_plans"),
    ),
    Check(
        "background_plan_problems",
        BG,
        1,
        _("The problem behind a purchase plan is known"),
        _("Which problem should the planned purchase solve?"),
        _at_least("purchase_plans_with_problem"),
    ),
    Check(
        "organisation_departments",
        ORG,
        1,
        _("The departments involved in purchasing are known"),
        _("Which departments take part in purchasing?"),
        _at_least("departments"),
    ),
    Check(
        "organisation_user_department",
        ORG,
        1,
        _("The user department (使用部门) is known"),
        _("Which department will use what we sell (使用部门)?"),
        _at_least("user_departments"),
    ),
    Check(
        "organisation_technical_department",
        ORG,
        1,
        _("The technical department (技术部门) is known"),
        _("Which department judges the technical side (技术部门)?"),
        _at_least("technical_departments"),
    ),
    Check(
        "organisation_procurement_head",
        ORG,
        2,
        _("The head of the procurement department is known"),
        _("Who heads procurement and finance (采购·财务部门)?"),
        _at_least("procurement_heads"),
    ),
    Check(
        "organisation_department_heads",
        ORG,
        1,
        _("Department heads are known"),
        _("Who heads the departments involved in purchasing?"),
        _at_least("department_heads"),
    ),
    Check(
        "organisation_department_relations",
        ORG,
        1,
        _("Reporting and constraint relations between departments are known"),
        _("Which department constrains or approves another's purchases?"),
        _at_least("department_relations"),
    ),
    Check(
        "organisation_decision_contact",
        ORG,
        3,
        _("A decision-level contact is known"),
        _("Who at the decision level (决策层) signs off on the purchase?"),
        _at_least("decision_contacts"),
    ),
    Check(
        "organisation_management_contact",
        ORG,
        2,
        _("A management-level contact is known"),
        _("Who at the management level (管理层) is involved? They often hold a veto."),
        _at_least("management_contacts"),
    ),
    Check(
        "organisation_veto",
        ORG,
        1,
        _("Who holds a veto is known"),
        _("Who can block the purchase?"),
        _at_least("veto_holders"),
    ),
    Check(
        "organisation_reporting_lines",
        ORG,
        1,
        _("Reporting lines between contacts are known"),
        _("Who reports to whom among the contacts?"),
        _at_least("contacts_with_manager"),
    ),
    Check(
        "organisation_guide",
        ORG,
        3,
        _("A guide (向导) is developed"),
        _("Who could become our guide (向导)? Start with whoever is easiest to win over."),
        _at_least("guides"),
    ),
    Check(
        "organisation_second_guide",
        ORG,
        1,
        _("A second guide is developed (双向导，双保险)"),
        _("Who could be a second guide, as a double safeguard (双保险)?"),
        _at_least("guides", 2),
    ),
    Check(
        "personal_profile",
        PER,
        1,
        _("Personal information about a contact is recorded"),
        _("Record what you know about the people you meet: family, hometown, hobbies."),
        _at_least("profiles"),
    ),
    Check(
        "personal_interests",
        PER,
        2,
        _("A contact's hobbies and interests are known"),
        _("What are your contacts' hobbies: sports, food, books?"),
        _at_least("profiles_with_interests"),
    ),
    Check(
        "personal_background",
        PER,
        1,
        _("A contact's family, hometown or university is known"),
        _("Where do your contacts come from, where did they study, what about their family?"),
        _at_least("profiles_with_background"),
    ),
    Check(
        "personal_birthday",
        PER,
        1,
        _("A contact's birthday is known"),
        _("When are your key contacts' birthdays?"),
        _at_least("profiles_with_birthday"),
    ),
    Check(
        "personal_decision_maker",
        PER,
        2,
        _("The interests of a decision-level contact are known"),
        _("What interests the decision-level contacts personally?"),
        _at_least("decision_profiles"),
    ),
    Check(
        "personal_ties",
        PER,
        1,
        _("Friends and rivals inside the organisation are known"),
        _("Who are friends, and who are rivals, inside the organisation?"),
        _at_least("ties"),
    ),
    Check(
        "competition_present",
        COMP,
        2,
        _("The competitors at the account are known"),
        _("Which competitors are at the account?"),
        _at_least("competitors_present"),
    ),
    Check(
        "competition_products",
        COMP,
        1,
        _("Competitor products in use are known"),
        _("Which competitor products does the customer use?"),
        _at_least("competitor_products_known"),
    ),
    Check(
        "competition_satisfaction",
        COMP,
        2,
        _("Satisfaction with a competitor is known"),
        _("How satisfied is the customer with each competitor present?"),
        _at_least("competitors_rated"),
    ),
    Check(
        "competition_rep",
        COMP,
        1,
        _("A competitor's rep is known"),
        _("Who is the competitor's rep at this account?"),
        _at_least("competitor_reps_known"),
    ),
    Check(
        "competition_rep_relationship",
        COMP,
        1,
        _("A competitor rep's style and relationship are known"),
        _("How does the competitor's rep sell, and how close are they to the customer?"),
        _at_least("competitor_rep_relations_known"),
    ),
)

CHECKS_BY_CODE: dict[str, Check] = {check.code: check for check in CHECKS}
DEFAULT_WEIGHTS: dict[str, int] = {check.code: check.default_weight for check in CHECKS}


@dataclass(frozen=True)
class CheckResult:
    check: Check
    weight: int
    met: bool


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    score: float  # in [0, 1]; 1 when no check of the category is switched on
    results: tuple[CheckResult, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def met(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.met)

    @property
    def unmet(self) -> tuple[CheckResult, ...]:
        """What to find out next, heaviest first."""
        return tuple(sorted((r for r in self.results if not r.met), key=lambda r: -r.weight))

    @property
    def next_questions(self) -> tuple[str, ...]:
        return tuple(r.check.question for r in self.unmet)


@dataclass(frozen=True)
class Assessment:
    score: float  # in [0, 1]
    categories: tuple[CategoryScore, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def category(self, category: str) -> CategoryScore:
        return next(c for c in self.categories if c.category == category)

    @property
    def by_category(self) -> dict[str, CategoryScore]:
        return {c.category.value: c for c in self.categories}

    @property
    def next_questions(self) -> tuple[str, ...]:
        """Every unmet check's question, heaviest first across all categories."""
        unmet = [r for c in self.categories for r in c.unmet]
        return tuple(r.check.question for r in sorted(unmet, key=lambda r: -r.weight))


def _ratio(results) -> float:
    total = sum(r.weight for r in results)
    if total == 0:
        return 1.0
    return sum(r.weight for r in results if r.met) / total


def assess(facts: DossierFacts, weights: Mapping[str, int] | None = None) -> Assessment:
    """Score `facts` against the checks, with `weights` ({code: weight}) overriding the
    defaults; a check with weight 0 (or below) is switched off and not shown."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    categories = []
    all_results = []
    for category in Category:
        results = tuple(
            CheckResult(check, weights[check.code], bool(check.test(facts)))
            for check in CHECKS
            if check.category == category and weights[check.code] > 0
        )
        all_results.extend(results)
        categories.append(CategoryScore(category, _ratio(results), results))
    return Assessment(_ratio(all_results), tuple(categories))


FACT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(DossierFacts))
