"""Seed the dossier checks with the default weights of METHOD.md §3 (a frozen copy of
accounts/dossier.py's defaults at the time of writing; later changes are the admin's)."""

from django.db import migrations

DEFAULTS = [
    ("background_contact_details", 1),
    ("background_industry", 1),
    ("background_business_scope", 1),
    ("background_finances", 1),
    ("background_size", 1),
    ("background_installed_base", 2),
    ("background_installed_satisfaction", 1),
    ("background_purchase_plans", 2),
    ("background_plan_problems", 1),
    ("organisation_departments", 1),
    ("organisation_user_department", 1),
    ("organisation_technical_department", 1),
    ("organisation_procurement_head", 2),
    ("organisation_department_heads", 1),
    ("organisation_department_relations", 1),
    ("organisation_decision_contact", 3),
    ("organisation_management_contact", 2),
    ("organisation_veto", 1),
    ("organisation_reporting_lines", 1),
    ("organisation_guide", 3),
    ("organisation_second_guide", 1),
    ("personal_profile", 1),
    ("personal_interests", 2),
    ("personal_background", 1),
    ("personal_birthday", 1),
    ("personal_decision_maker", 2),
    ("personal_ties", 1),
    ("competition_present", 2),
    ("competition_products", 1),
    ("competition_satisfaction", 2),
    ("competition_rep", 1),
    ("competition_rep_relationship", 1),
]


def seed(apps, schema_editor):
    Setting = apps.get_model("accounts", "DossierCheckSetting")
    for code, weight in DEFAULTS:
        Setting.objects.get_or_create(code=code, defaults={"weight": weight, "enabled": True})


def unseed(apps, schema_editor):
    Setting = apps.get_model("accounts", "DossierCheckSetting")
    Setting.objects.filter(code__in=[code for code, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_dossier_check_setting"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
