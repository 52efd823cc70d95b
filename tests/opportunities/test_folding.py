"""opportunities.deals.folding: the rows of a parent LEFT JOIN child query back into parents."""

from types import SimpleNamespace

from opportunities.deals.folding import fold


def rows(*pairs):
    return [SimpleNamespace(pk=pk, child=child) for pk, child in pairs]


def test_each_parent_once_in_the_rows_order_with_its_children_in_order():
    folded = fold(rows((2, "b1"), (2, "b2"), (1, None), (3, "c1")), "kids", lambda r: r.child)
    assert [(p.pk, p.kids) for p in folded] == [(2, ["b1", "b2"]), (1, []), (3, ["c1"])]


def test_the_parent_is_the_first_row_of_its_group():
    first, second = rows((1, "a"), (1, "b"))
    assert fold([first, second], "kids", lambda r: r.child) == [first]
    assert first.kids == ["a", "b"]


def test_no_rows_no_parents():
    assert fold([], "kids", lambda r: r.child) == []
