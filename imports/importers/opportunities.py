"""The importer of opportunities; the same column names as the opportunity export."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from imports.engine import Column, Importer
from imports.importers.accounts import AccountLookup
from imports.importers.users import UserLookup
from imports.parsing import (
    RowError,
    RowErrors,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)
from opportunities.deals import services as deal_services
from opportunities.models import (
    LineItem,
    MoveChange,
    Opportunity,
    Product,
    Source,
    Stakeholder,
    Status,
)
from opportunities.models.opportunity import AMOUNT_LIMIT
from opportunities.pipeline import facts
from opportunities.rules.stages import Move

CENT = Decimal("0.01")
CHUNK = 900  # ids per IN (…): below SQLite's limit of variables per query


STAGE_WORDS = {
    "won": (Status.WON, Move.COLLECTION),
    "签约": (Status.WON, Move.COLLECTION),
    "lost": (Status.LOST, None),
    "丢单": (Status.LOST, None),
    "abandoned": (Status.ABANDONED, None),
    "放弃": (Status.ABANDONED, None),
    "open": (Status.OPEN, Move.ANALYSIS),
}


def parse_stage(column: str, value: str):
    text = value.strip().lower()
    if text in {"1", "2", "3", "4", "5"}:
        return Status.OPEN, Move(int(text))
    if text == "6":
        return Status.WON, Move.COLLECTION
    if text in STAGE_WORDS:
        return STAGE_WORDS[text]
    raise RowError(
        column,
        _("“%(value)s” is not a stage: use 1–5 (an open deal's move), won, lost or abandoned.")
        % {"value": value},
    )


class OpportunityImporter(Importer):
    """Deals by external id, each owned by someone the importing user can reach. A new deal
    without an account is kept (account unknown) and reported, never dropped; an existing
    deal keeps the deal form's rules: its account is never emptied, nor changed under its
    buying group."""

    kind = "opportunities"
    hidden = gettext_lazy("The id “%(id)s” belongs to an opportunity you cannot see.")
    columns = (
        Column("external_id", gettext_lazy("external id"), required=True),
        Column("stage", pgettext_lazy("opportunity", "stage"), required=True),
        Column("owner", gettext_lazy("owner (username, email or full name)"), required=True),
        Column("account", pgettext_lazy("customer", "account (id or name)")),
        Column("name", gettext_lazy("name")),
        Column("product", gettext_lazy("product")),
        Column("quantity", gettext_lazy("quantity")),
        Column("amount", gettext_lazy("amount")),
        Column("engaged_on", gettext_lazy("engaged on")),
        Column("expected_close_date", gettext_lazy("expected close date")),
        Column("closed_on", gettext_lazy("closed on")),
        Column("next_step", gettext_lazy("next step")),
        Column("next_step_date", gettext_lazy("next step date")),
        Column("lost_reason", gettext_lazy("why lost or abandoned")),
        Column("source", gettext_lazy("source")),
    )
    OWN = (
        "name",
        "account_id",
        "owner_id",
        "status",
        "move",
        "expected_close_date",
        "closed_at",
        "next_step",
        "next_step_date",
        "lost_reason",
        "source",
    )

    def prepare(self, rows):
        self.users = UserLookup(self.user)
        self.accounts = AccountLookup(self.user)
        self.products = {}
        for product in Product.objects.all():
            self.products[product.name.lower()] = product
            if product.external_id:
                self.products.setdefault(product.external_id.lower(), product)
        keys = [r["external_id"] for r in rows if r.get("external_id")]
        found = {}
        for start in range(0, len(keys), CHUNK):
            for opportunity in Opportunity.objects.filter(
                external_id__in=keys[start : start + CHUNK]
            ):
                found[opportunity.external_id.lower()] = opportunity
        self.existing_by_key = found
        self.visible_ids = set()
        self.with_stakeholders = set()
        self.lines = defaultdict(tuple)
        ids = [o.pk for o in found.values()]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            self.visible_ids |= set(
                Opportunity.objects.visible_to(self.user)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            )
            self.with_stakeholders |= set(
                Stakeholder.objects.filter(opportunity_id__in=chunk).values_list(
                    "opportunity_id", flat=True
                )
            )
            for opportunity_id, *line in LineItem.objects.filter(
                opportunity_id__in=chunk
            ).values_list("opportunity_id", "product_id", "quantity", "unit_price"):
                self.lines[opportunity_id] += (tuple(line),)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.review = _("Review this imported opportunity")
        self.no_reason = _("Closed before the import; the source gives no reason.")

    def clean(self, row, warn):
        errors = []

        def take(name, parse):
            try:
                return parse(name, row.get(name, ""))
            except RowError as exc:
                errors.append(exc)
                return None

        external_id = take("external_id", lambda c, v: parse_text(c, v, max_length=100))
        stage = take("stage", parse_stage)
        owner = take("owner", lambda c, v: self.users.get(c, v))
        account = None
        if row.get("account"):
            account = take("account", lambda c, v: self.accounts.get(c, v))
        product = None
        if row.get("product"):
            product = self.products.get(row["product"].strip().lower())
            if product is None:
                errors.append(
                    RowError(
                        "product",
                        _(
                            "Unknown product “%(value)s”: add it to the catalogue, or map the "
                            "value to one of ours."
                        )
                        % {"value": row["product"]},
                    )
                )
        quantity = take("quantity", lambda c, v: parse_int(c, v, minimum=1)) or 1
        amount = take("amount", parse_decimal)
        engaged_on = take("engaged_on", parse_date)
        expected = take("expected_close_date", parse_date)
        closed_on = take("closed_on", parse_date)
        next_step_date = take("next_step_date", parse_date)
        name = take("name", lambda c, v: parse_text(c, v, max_length=200))
        next_step = take("next_step", lambda c, v: parse_text(c, v, max_length=300))
        source = take("source", lambda c, v: parse_choice(c, v, Source, ""))
        self._check_account(external_id, account, errors)
        if errors or stage is None:
            raise RowErrors(errors)
        status, move = stage
        if amount and product is None:
            errors.append(RowError("product", _("An amount needs a product to go with it.")))
        if status == Status.OPEN and closed_on:
            errors.append(
                RowError(
                    "closed_on",
                    _("An open opportunity has no close date yet: clear it or give the outcome."),
                )
            )
        if status == Status.WON and not closed_on:
            errors.append(RowError("closed_on", _("A won opportunity needs the date it closed.")))
        if closed_on and engaged_on and closed_on < engaged_on:
            errors.append(
                RowError("closed_on", _("The deal closed before it was engaged: check the dates."))
            )
        if closed_on and closed_on > self.today:
            errors.append(RowError("closed_on", _("A close date cannot be in the future.")))
        if errors:
            raise RowErrors(errors)
        if move is None:  # lost or abandoned: where it was lost is not known; engaged = move 2
            move = Move.TRUST if engaged_on else Move.ANALYSIS
        if account is None:
            warn(_("Kept without an account (account unknown): assign one on the opportunity."))
        if amount is None:
            amount = (product.list_price * quantity) if product else Decimal(0)
        if amount >= AMOUNT_LIMIT:
            raise RowError(
                "quantity",
                _("Quantity × list price is more than an amount can hold (¥%(limit)s).")
                % {"limit": f"{AMOUNT_LIMIT:,.0f}"},
            )
        unit_price = (amount / quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        closed_at = (
            timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(12)))
            if closed_on and status != Status.OPEN
            else None
        )
        label = account.name if account else external_id
        # Filled in by us, not by the file: never a reason to update an existing deal.
        defaulted = {
            name
            for name, given in (
                ("next_step", next_step),
                ("next_step_date", next_step_date),
                ("lost_reason", row.get("lost_reason")),
            )
            if not given
        }
        self.cleaned = {
            "defaulted": defaulted,
            "external_id": external_id,
            "name": name or (f"{product.name} · {label}" if product else label)[:200],
            "account_id": account.pk if account else None,
            "owner_id": owner.pk,
            "status": status,
            "move": int(move),
            "expected_close_date": expected or closed_on,
            "closed_at": closed_at,
            "engaged_on": engaged_on,
            "next_step": (next_step or self.review) if status == Status.OPEN else (next_step or ""),
            "next_step_date": (next_step_date or self.today)
            if status == Status.OPEN
            else next_step_date,
            "lost_reason": (row.get("lost_reason") or self.no_reason)
            if status in (Status.LOST, Status.ABANDONED)
            else "",
            "source": source,
            "product_id": product.pk if product else None,
            "quantity": quantity,
            "unit_price": unit_price,
        }
        return self.cleaned

    def existing(self, key):
        instance = super().existing(key)
        if instance is not None:
            self._gate(instance, self.cleaned)
        return instance

    def _gate(self, instance, values) -> None:
        """An update taking a deal of ours forward or to won passes the same gate as the move
        form (deals.services.gate); the file cannot override, so unmet checks reject the row.
        New deals are history brought in, recorded as imported."""
        target = values["move"] if values["status"] in (Status.OPEN, Status.WON) else None
        if instance.status == Status.WON or target is None or target <= instance.move:
            return
        try:
            deal_services.gate(instance, to_move=target, by=self.user)
        except deal_services.MoveRefused as exc:
            checks = "; ".join(f"{c.label}: {c.status_label}" for c in exc.blocking)
            message = _(
                "An import cannot take a deal past unmet exit checks (%(checks)s): move it on "
                "the opportunity's page, where a manager of the owner's team may override."
            ) % {"checks": checks or exc.message}
            raise RowError("stage", message) from exc

    def _check_account(self, external_id, account, errors) -> None:
        instance = self.existing_by_key.get((external_id or "").lower())
        if (
            instance is None
            or instance.account_id is None
            or "account" in {e.column for e in errors}
        ):
            return
        if account is None:
            errors.append(
                RowError(
                    "account",
                    _(
                        "This opportunity has an account: give it (id or name); an import does "
                        "not remove it."
                    ),
                )
            )
        elif account.pk != instance.account_id and instance.pk in self.with_stakeholders:
            errors.append(
                RowError(
                    "account",
                    _(
                        "The buying group belongs to the current account: remove the "
                        "stakeholders first."
                    ),
                )
            )

    @staticmethod
    def _line(values):
        if values["product_id"] is None:
            return ()
        return ((values["product_id"], values["quantity"], values["unit_price"]),)

    def _own(self, instance, values):
        """The fields to compare and write: a defaulted one only where the deal has none."""
        return [
            n
            for n in self.OWN
            if n not in values["defaulted"] or getattr(instance, n) in (None, "")
        ]

    def differs(self, instance, values):
        if any(getattr(instance, n) != values[n] for n in self._own(instance, values)):
            return True
        return self.lines[instance.pk] != self._line(values)

    def _entered(self, values):
        if values["closed_at"]:
            return values["closed_at"]
        engaged = values["engaged_on"]
        if engaged:
            return timezone.make_aware(datetime.datetime.combine(engaged, datetime.time(12)))
        return self.now

    def _amount(self, values):
        line = self._line(values)
        return (line[0][1] * line[0][2]).quantize(CENT) if line else Decimal(0)

    def write(self, creates, updates):
        history = {"default_user": self.user, "default_change_reason": self.change_reason}
        new = []
        for v in creates:
            opportunity = Opportunity(
                external_id=v["external_id"],
                amount=self._amount(v),
                entered_move_at=self._entered(v),
                **{n: v[n] for n in self.OWN},
            )
            new.append(opportunity)
        created = bulk_create_with_history(new, Opportunity, batch_size=1000, **history)
        items, changes = [], []
        for opportunity, v in zip(created, creates, strict=True):
            items += [
                LineItem(opportunity=opportunity, product_id=p, quantity=q, unit_price=u)
                for p, q, u in self._line(v)
            ]
            changes.append(self._move_change(opportunity, None, "", v))
        changed = []
        for instance, v in updates:
            before_move, before_status = instance.move, instance.status
            line_changed = self.lines[instance.pk] != self._line(v)
            for name in self._own(instance, v):
                setattr(instance, name, v[name])
            if (before_move, before_status) != (instance.move, instance.status):
                instance.entered_move_at = self._entered(v)
                changes.append(self._move_change(instance, before_move, before_status, v))
            if line_changed:
                LineItem.objects.filter(opportunity=instance).delete()
                items += [
                    LineItem(opportunity=instance, product_id=p, quantity=q, unit_price=u)
                    for p, q, u in self._line(v)
                ]
                instance.amount = self._amount(v)
            instance.updated_at = self.now
            changed.append(instance)
        if changed:
            bulk_update_with_history(
                changed,
                Opportunity,
                [*self.OWN, "amount", "entered_move_at", "updated_at"],
                batch_size=1000,
                **history,
            )
        bulk_create_with_history(items, LineItem, batch_size=1000, **history)
        MoveChange.objects.bulk_create(changes, batch_size=1000)
        facts.refresh([o.pk for o in created] + [o.pk for o in changed])

    def _move_change(self, opportunity, from_move, from_status, values):
        return MoveChange(
            opportunity=opportunity,
            from_move=from_move,
            to_move=opportunity.move,
            from_status=from_status,
            to_status=opportunity.status,
            changed_at=opportunity.entered_move_at,
            changed_by=self.user,
            reason=self.change_reason,
            is_imported=True,
        )
