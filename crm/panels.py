"""The home page's panels: each app may offer some, without crm importing the apps.

An app provides `<app>/home.py` with `def panels(request) -> list[Panel]`; `collect()` finds
those modules in INSTALLED_APPS order (as seed_demo finds `<app>/demo.py`), so the
dependency arrow opportunities → relationships → accounts → crm stays one-way.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.template.loader import render_to_string

WIDTHS = {
    "full": "col-12",
    "wide": "col-12 col-xl-8",
    "half": "col-12 col-lg-6",
    "narrow": "col-12 col-md-6 col-xl-4",
}


@dataclass
class Panel:
    """One card of the home page: a template and its context, an order (lower first) and a
    width ("full", "wide", "half" or "narrow")."""

    key: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    width: str = "half"
    html: str = ""

    @property
    def column_class(self) -> str:
        return WIDTHS.get(self.width, WIDTHS["half"])


def provider_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.home"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def collect(request) -> list[Panel]:
    """Every app's panels for this request, rendered, ordered by `order` (apps' order for
    ties)."""
    panels = [panel for module in provider_modules() for panel in module.panels(request)]
    panels.sort(key=lambda panel: panel.order)
    for panel in panels:
        panel.html = render_to_string(panel.template, panel.context, request=request)
    return panels
