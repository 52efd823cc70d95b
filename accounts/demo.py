"""Demo accounts for `seed_demo`: a dozen customers with partial dossiers, so that completeness
and gaps show. Idempotent: rows are found by their natural keys and only created when missing.

Adds `context["accounts"]` (by name), `context["contacts"]` (by name) and
`context["competitors"]` (by name) for the apps seeded after this one.
"""

import datetime

from accounts.demo_data import ACCOUNTS, COMPETITORS
from accounts.models import (
    Account,
    Competitor,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    InstalledProduct,
    PersonalProfile,
    PurchasePlan,
)


def _competitors() -> dict[str, Competitor]:
    return {
        name: Competitor.objects.get_or_create(
            name=name, defaults={"strengths": strengths, "weaknesses": weaknesses}
        )[0]
        for name, (strengths, weaknesses) in COMPETITORS.items()
    }


def _seed_account(spec, users, competitors, contacts_by_name) -> Account:
    account, _ = Account.objects.get_or_create(
        name=spec["name"], defaults={"owner": users[spec["owner"]], **spec["fields"]}
    )
    departments = {}
    for name, function, _head in spec.get("departments", []):
        departments[name] = Department.objects.get_or_create(
            account=account, name=name, defaults={"function": function}
        )[0]
    contacts = {}
    for name, title, department, function, level, _boss, extra in spec.get("contacts", []):
        contacts[name] = Contact.objects.get_or_create(
            account=account,
            name=name,
            defaults={
                "title": title,
                "department": departments.get(department),
                "function": function,
                "level": level,
                **extra,
            },
        )[0]
    # Second pass: links between rows created above, set once (an existing link is kept).
    for name, *_rest, boss, _extra in spec.get("contacts", []):
        contact = contacts[name]
        if boss and contact.reports_to_id is None:
            contact.reports_to = contacts[boss]
            contact.save()
    for name, _function, head in spec.get("departments", []):
        department = departments[name]
        if head and department.head_id is None:
            department.head = contacts[head]
            department.save()
    for child, parent in spec.get("department_parents", []):
        if departments[child].parent_id is None:
            departments[child].parent = departments[parent]
            departments[child].save()
    for source, kind, target, note in spec.get("relations", []):
        DepartmentRelation.objects.get_or_create(
            source=departments[source],
            target=departments[target],
            kind=kind,
            defaults={"note": note},
        )
    for name, values in spec.get("profiles", {}).items():
        PersonalProfile.objects.get_or_create(contact=contacts[name], defaults=values)
    for name, kind, other, note in spec.get("ties", []):
        ContactTie.objects.get_or_create(
            contact=contacts[name], other=contacts[other], defaults={"kind": kind, "note": note}
        )
    for purpose, brand, product, qty, years, vendor, competitor, satisfaction in spec.get(
        "installed", []
    ):
        InstalledProduct.objects.get_or_create(
            account=account,
            purpose=purpose,
            brand=brand,
            defaults={
                "product": product,
                "quantity": qty,
                "years_in_use": years,
                "vendor": vendor,
                "competitor": competitors.get(competitor),
                "satisfaction": satisfaction,
            },
        )
    for title, problem, year, budget in spec.get("plans", []):
        PurchasePlan.objects.get_or_create(
            account=account,
            title=title,
            defaults={
                "problem": problem,
                "expected_date": datetime.date(year, 9, 30),
                "budget": budget,
            },
        )
    for competitor, products, satisfaction, rep, style, relationship in spec.get("presences", []):
        CompetitorPresence.objects.get_or_create(
            account=account,
            competitor=competitors[competitor],
            defaults={
                "products_in_use": products,
                "satisfaction": satisfaction,
                "rep_name": rep,
                "rep_style": style,
                "rep_relationship": relationship,
            },
        )
    contacts_by_name.update(contacts)
    return account


def seed(context: dict) -> None:
    users = context["users"]
    competitors = _competitors()
    accounts, contacts = {}, {}
    for spec in ACCOUNTS:
        accounts[spec["name"]] = _seed_account(spec, users, competitors, contacts)
    # Li Na shares the Shanghai Metro account with her teammate Tom Chen.
    accounts["Shanghai Metro Group"].collaborators.add(users["rep2"])
    context["accounts"] = accounts
    context["contacts"] = contacts
    context["competitors"] = competitors
