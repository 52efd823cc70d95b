"""What the dossier knows about one account, as plain counts and flags, and the four categories."""

from collections.abc import Callable
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


FACT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(DossierFacts))
