"""Scoring facts against the checks, with the admin's weights."""

from collections.abc import Mapping
from dataclasses import dataclass

from accounts.dossier.checks import CHECKS, DEFAULT_WEIGHTS
from accounts.dossier.facts import Category, Check, DossierFacts


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
