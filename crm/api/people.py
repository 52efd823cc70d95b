"""Users and teams, read only: whom a record's owner field may name."""

from django.db.models import Prefetch
from rest_framework import serializers

from crm import policy
from crm.api.base import RecordViewSet
from crm.models import Membership, Team, User


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["user", "role"]


class TeamSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "members"]


class UserViewSet(RecordViewSet):
    """The users whose records one may see (a rep: themself; a manager: their teams)."""

    queryset = User.objects.order_by("pk")
    serializer_class = UserSerializer
    filterset_fields = ["is_active", "username"]
    ordering_fields = ["id", "username"]


class TeamViewSet(RecordViewSet):
    """The teams one belongs to (an admin: every team)."""

    queryset = Team.objects.order_by("pk")
    serializer_class = TeamSerializer
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        user = self.request.user
        teams = self.queryset.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.order_by("pk"))
        )
        if policy.is_admin(user):
            return teams
        return teams.filter(pk__in=policy.team_ids(user))
