"""Re-pointing the records of a merged account or contact at the survivor (issue 20), for any
model, without knowing it: a relation is followed through Django's model meta.

- A row that can simply point at the survivor is re-pointed.
- A row that would then repeat one the survivor already has (a unique constraint or a
  one-to-one: the same competitor twice, two departments of one name, two relationship rows)
  is *folded* into the survivor's: its empty fields fill the survivor's, its texts are kept
  below the survivor's, the deeper of two ranks is kept (`deeper`), a refusal on either stays
  a refusal (`stricter`: an opt-out is never lost by a merge), its own children move to
  the survivor's row the same way, and then it is deleted. Nothing anyone typed is lost.
- A row that would then point at itself (a tie between the two people, a report line from one
  to the other) is deleted: after the merge they are one.
"""

from django.db import models

TEXT_FIELDS = (models.TextField,)


def unique_partners(model, name):
    """The other fields of each uniqueness that includes `name` ([()] for a one-to-one)."""
    field = model._meta.get_field(name)
    if field.one_to_one or field.unique:
        return [()]
    groups = [c.fields for c in model._meta.constraints if getattr(c, "fields", None)]
    groups += [tuple(g) for g in model._meta.unique_together]
    return [
        tuple(f for f in g if f != name) for g in groups if name in g and not _conditional(model, g)
    ]


def _conditional(model, fields):
    return any(
        getattr(c, "condition", None) is not None
        for c in model._meta.constraints
        if getattr(c, "fields", None) == tuple(fields)
    )


def repoint(relation, old, new, *, deeper=(), stricter=()):
    """Make every row of `relation` (a reverse relation of old's model) point at `new`."""
    model, name = relation.related_model, relation.field.name
    manager = model._base_manager
    rows = manager.filter(**{name: old})
    if model is type(old):
        rows = rows.exclude(pk=new.pk)
    _drop_self_links(model, name, old, new)
    partners = unique_partners(model, name)
    if not partners:
        return rows.update(**{name: new})
    count = 0
    for row in list(rows):
        kept = None
        for fields in partners:
            lookup = {f: getattr(row, model._meta.get_field(f).attname) for f in fields}
            kept = manager.filter(**{name: new}, **lookup).exclude(pk=row.pk).first()
            if kept is not None:
                break
        if kept is None:
            manager.filter(pk=row.pk).update(**{name: new})
        else:
            fold(row, kept, deeper=deeper, stricter=stricter)
        count += 1
    return count


def _drop_self_links(model, name, old, new):
    """Rows linking old and new through two relations to the same model would link the
    survivor to itself after the merge."""
    same = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is type(old) and f.name != name
    ]
    for other in same:
        model._base_manager.filter(**{name: old, other: new}).delete()
        model._base_manager.filter(**{name: new, other: old}).delete()


def fold(row, kept, *, deeper=(), stricter=()):
    """Fold `row` into `kept` (same model) and delete it."""
    changed = []
    for field in row._meta.concrete_fields:
        if field.primary_key or field.is_relation or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        mine, theirs = getattr(kept, field.attname), getattr(row, field.attname)
        if theirs in ("", None) or mine == theirs:
            continue
        if field.name in deeper:
            value = max(mine, theirs)
        elif field.name in stricter:
            value = min(mine, theirs)
        elif mine in ("", None):
            value = theirs
        elif isinstance(field, TEXT_FIELDS) and theirs not in mine:
            value = f"{mine}\n\n{theirs}"
        else:
            continue
        setattr(kept, field.attname, value)
        changed.append(field.attname)
    if changed:
        type(kept)._base_manager.filter(pk=kept.pk).update(
            **{name: getattr(kept, name) for name in changed}
        )
    for relation in row._meta.related_objects:
        if relation.many_to_many:
            continue
        repoint(relation, row, kept)
    row.delete()


def repoint_m2m(relation, old, new):
    """Rows of a many-to-many to old's model (e.g. an activity's people) now name `new`, once."""
    through = (
        relation.through if hasattr(relation, "through") else relation.field.remote_field.through
    )
    mine = relation.field.m2m_reverse_field_name()
    theirs = relation.field.m2m_field_name()
    already = through.objects.filter(**{mine: new}).values(theirs)
    through.objects.filter(**{mine: old, f"{theirs}__in": already}).delete()
    return through.objects.filter(**{mine: old}).update(**{mine: new})
