"""同盟 leverage as a pure rule (METHOD.md §4.2: at 同盟 the customer works for us, and the
handout's "use the relationships inside the customer to influence one another"): for a person
below 信赖, who among the people at 信赖 or 同盟 could bring us to them, and by which path —
a friend (ContactTie), a reports-to line either way, the same department, or being a guide.
Rival ties around the person are warnings. Plain values in, plain values out: the people given
are the only ones a path may use (the selector passes those the user may see).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from relationships.ladder import ALLIANCE, TRUST

STAGE_TERMS = {TRUST: "信赖", ALLIANCE: "同盟"}
FRIEND, RIVAL = "friend", "rival"


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    stage: int
    is_guide: bool = False
    department_id: int | None = None
    reports_to_id: int | None = None


@dataclass(frozen=True)
class Tie:
    """One recorded tie (one direction per row, as ContactTie keeps them)."""

    contact_id: int
    other_id: int
    kind: str  # FRIEND or RIVAL


@dataclass(frozen=True)
class Path:
    via: Person
    links: tuple[str, ...]  # "reports to 孙浩", "friend of 孙浩", …

    @property
    def stage_term(self) -> str:
        return STAGE_TERMS.get(self.via.stage, "")


@dataclass(frozen=True)
class Leverage:
    target: Person
    paths: tuple[Path, ...] = ()
    rivals: tuple[Person, ...] = ()  # people with a rival tie to the target: not through them

    @property
    def needed(self) -> bool:
        return self.target.stage < TRUST


def _tied(ties: Iterable[Tie], a: int, b: int, kind: str) -> bool:
    return any(t.kind == kind and {t.contact_id, t.other_id} == {a, b} for t in ties if a != b)


def links_between(via: Person, target: Person, ties: Sequence[Tie]) -> tuple[str, ...]:
    """Why `via` could bring us to `target`, strongest first (empty: no path)."""
    name = {"name": target.name}
    links = []
    if via.reports_to_id == target.pk:
        links.append(str(_("reports to %(name)s") % name))
    if target.reports_to_id == via.pk:
        links.append(str(_("%(name)s reports to them") % name))
    if _tied(ties, via.pk, target.pk, FRIEND):
        links.append(str(_("friend of %(name)s") % name))
    if via.department_id is not None and via.department_id == target.department_id:
        links.append(str(_("same department as %(name)s") % name))
    if via.is_guide:
        links.append(str(_("a guide (向导) who knows the people")))
    return tuple(links)


def leverage(target: Person, people: Sequence[Person], ties: Sequence[Tie]) -> Leverage:
    """The paths to `target` through the `people` at 信赖 or 同盟 (deeper stage and more links
    first) and the rivals of `target` among `people`. Nobody is needed at 信赖 or above.
    Ties naming anyone outside `people` are ignored."""
    known = {p.pk for p in people} | {target.pk}
    ties = [t for t in ties if t.contact_id in known and t.other_id in known]
    rivals = tuple(p for p in people if p.pk != target.pk and _tied(ties, p.pk, target.pk, RIVAL))
    if target.stage >= TRUST:
        return Leverage(target, (), rivals)
    paths = []
    for person in people:
        if person.pk == target.pk or person.stage < TRUST or person in rivals:
            continue
        links = links_between(person, target, ties)
        if links:
            paths.append(Path(person, links))
    paths.sort(key=lambda p: (-p.via.stage, -len(p.links), p.via.name, p.via.pk))
    return Leverage(target, tuple(paths), rivals)
