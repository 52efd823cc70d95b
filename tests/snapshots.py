from django.apps import apps

PROJECT_APPS = {"crm", "accounts", "relationships", "opportunities"}
VOLATILE = {"created_at", "updated_at", "last_login", "password"}
# Counters of writes, not data: the figures' generation (crm/figures.py) rises with every one.
COUNTERS = {"crm.FigureGeneration"}


def comparable(value):
    """PostgreSQL returns binary columns as memoryview, whose repr is an address."""
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot(*, include_history=False, include_volatile=False):
    """Every row of every project model as comparable values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if model._meta.label in COUNTERS:
            continue
        is_history = model._meta.model_name.startswith("historical")
        if is_history and not include_history:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if include_volatile
            or (f.attname not in VOLATILE and not f.attname.startswith("history_"))
        ]
        rows[model._meta.label] = sorted(
            (repr(tuple(map(comparable, row))) for row in model._base_manager.values_list(*fields)),
            key=str,
        )
    return rows
