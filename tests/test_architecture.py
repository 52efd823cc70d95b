"""What import-linter cannot see (it takes Django as one package): a rule module imports from
Django only translation and the choices classes — no database, no HTTP, no settings
(docs/architecture.md, "Contracts")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = [
    *sorted((ROOT / "opportunities" / "rules").glob("[!_]*.py")),
    *(ROOT / "opportunities" / "moves" / f"{name}.py" for name in ("concerns", "criteria")),
    ROOT / "opportunities" / "moves" / "receivables.py",
    ROOT / "opportunities" / "moves" / "defaults.py",
    *sorted((ROOT / "accounts" / "dossier").glob("*.py")),
    ROOT / "relationships" / "ladder.py",
    ROOT / "relationships" / "learning_rules.py",
    ROOT / "relationships" / "greetings" / "placeholders.py",
    ROOT / "relationships" / "greetings" / "rules.py",
    ROOT / "pool" / "rules.py",
]
ALLOWED = {
    "django.utils.translation": None,  # any name
    "django.db.models": {"TextChoices", "IntegerChoices"},
    "django.db": {"models"},  # for `models.TextChoices` only, checked below
}


def django_imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django"):
            yield node.module, {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("django"):
                    yield alias.name, set()


@pytest.mark.parametrize("path", RULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_rule_module_imports_no_database_and_no_views(path):
    for module, names in django_imports(path):
        assert module in ALLOWED, f"{module} in a rule module"
        allowed = ALLOWED[module]
        assert allowed is None or names <= allowed, f"{names - allowed} from {module}"
    text = path.read_text()
    if "from django.db import models" in text:
        uses = {part.split("(")[0].split(")")[0] for part in text.split("models.")[1:]}
        assert uses <= {"TextChoices", "IntegerChoices"}, uses
