"""What each event says about its record (a webhook's `data`): the id and the key fields in
plain JSON values, amounts as strings so that no receiver rounds them. The records are read
by their fields' names, not imported: crm sits below the apps."""


def _money(amount) -> str | None:
    return None if amount is None else str(amount)


def account(account) -> dict:
    return {
        "id": account.pk,
        "name": account.name,
        "status": account.status,
        "owner_id": account.owner_id,
    }


def deal(deal, **extra) -> dict:
    return {
        "id": deal.pk,
        "name": deal.name,
        "account_id": deal.account_id,
        "owner_id": deal.owner_id,
        "move": deal.move,
        "status": deal.status,
        "amount": _money(deal.amount),
        **extra,
    }


def receipt(receipt) -> dict:
    return {
        "id": receipt.pk,
        "milestone_id": receipt.milestone_id,
        "opportunity_id": receipt.milestone.opportunity_id,
        "amount": _money(receipt.amount),
        "received_on": receipt.received_on.isoformat(),
    }


def stage_change(change) -> dict:
    return {
        "id": change.pk,
        "contact_id": change.relationship.contact_id,
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "changed_by_id": change.changed_by_id,
    }
