"""`field__in_array=<subquery>`: the same rows as `field__in=<subquery>`, written so that
PostgreSQL can use the field's index.

PostgreSQL plans `a IN (subquery) OR b IN (subquery)` — the shape of the access policy — as a
sequential scan with hashed subplans. `a = ANY(ARRAY(subquery))` is evaluated once (an InitPlan)
and then drives index scans, combined by a BitmapOr. Other databases get a plain IN.
"""

from django.db.models import Field, ForeignObject, Lookup


@ForeignObject.register_lookup
@Field.register_lookup
class InArray(Lookup):
    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
