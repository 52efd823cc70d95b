"""The org map: the level × function grid and the reports-to and department trees (2 queries)."""

from collections import defaultdict
from dataclasses import dataclass

from accounts.models import Account, Function, Level

LEVELS_TOP_DOWN = [Level.DECISION, Level.MANAGEMENT, Level.OPERATIONAL]
FUNCTIONS = [Function.USER, Function.TECHNICAL, Function.PROCUREMENT, Function.OTHER]


@dataclass
class OrgMap:
    rows: list  # [(level, [(function, [contacts])])]
    tree: list  # [(contact, depth)] in reports-to order
    department_tree: list  # [(department, depth)]
    empty_cells: int
    decision_empty: bool


def _flatten(nodes: list, parent_of) -> list:
    """Depth-first (node, depth) pairs of a forest; a node whose parent is missing (or which
    sits in a loop) becomes a root, so every node appears exactly once."""
    ids = {node.pk for node in nodes}
    children = defaultdict(list)
    roots = []
    for node in nodes:
        parent_id = parent_of(node)
        (children[parent_id] if parent_id in ids else roots).append(node)
    result, seen = [], set()

    def walk(node, depth):
        if node.pk in seen:
            return
        seen.add(node.pk)
        result.append((node, depth))
        for child in children[node.pk]:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    for node in nodes:  # nodes caught in a loop have no root; show them anyway
        walk(node, 0)
    return result


def org_map(account: Account) -> OrgMap:
    """The level × function grid and the reports-to tree of the account's current contacts,
    and the department tree (2 queries)."""
    level_rank = {level: i for i, level in enumerate(LEVELS_TOP_DOWN)}
    contacts = sorted(
        account.contacts.active().select_related("department"),
        key=lambda c: (level_rank.get(c.level, 9), c.name),
    )
    cells = defaultdict(list)
    for contact in contacts:
        cells[(contact.level, contact.function)].append(contact)
    rows = [
        (level, [(function, cells[(level, function)]) for function in FUNCTIONS])
        for level in LEVELS_TOP_DOWN
    ]
    departments = list(account.departments.select_related("head").order_by("name"))
    return OrgMap(
        rows=rows,
        tree=_flatten(contacts, lambda c: c.reports_to_id),
        department_tree=_flatten(departments, lambda d: d.parent_id),
        # "Other" is not a function of the method: an empty "other" cell is no gap.
        empty_cells=sum(
            1 for level in LEVELS_TOP_DOWN for f in FUNCTIONS[:3] if not cells[(level, f)]
        ),
        decision_empty=not any(cells[(Level.DECISION, f)] for f in FUNCTIONS),
    )
