"""The pool's arithmetic, pure: when an account returns, when its owner is told, how many
claims a rep has left (issue 21; the numbers are each team's PoolRule)."""

from datetime import date, timedelta


def worked_since(last_done: date | None, owned_since: date) -> date:
    """The day an account's neglect is counted from: its owner's last done activity on it, or
    the day they got it if that came later (a new owner is not blamed for the old one)."""
    if last_done is None or last_done < owned_since:
        return owned_since
    return last_done


def return_day(since: date, days: int) -> date:
    """The day an account untouched since `since` returns to the pool."""
    return since + timedelta(days=days)


def warned(since: date, days: int, today: date, warning_days: int) -> bool:
    """Whether its owner is to be told today: the return lies within `warning_days` ahead."""
    return today < return_day(since, days) <= today + timedelta(days=warning_days)


def claims_left(limit: int, claimed_in_window: int) -> int:
    return max(limit - claimed_in_window, 0)
