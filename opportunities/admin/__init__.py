"""The opportunities app in the admin: each concern's model admins, registered on import."""

from opportunities.admin import aftersale, deals, moves, pipeline  # noqa: F401
