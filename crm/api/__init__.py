def routes(router):
    """crm's own endpoints: the users and teams, read only (crm/api/people.py)."""
    from crm.api import people

    router.register("users", people.UserViewSet, basename="user")
    router.register("teams", people.TeamViewSet, basename="team")
