"""The opportunities app in the admin: each concern's model admins, registered on import."""

from opportunities.admin import aftersale, deals, learning, moves, pipeline  # noqa: F401
