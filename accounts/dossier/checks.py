"""The dossier's checks: one threshold on what is known per line (a data table)."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from accounts.dossier.facts import Category, Check, DossierFacts


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
