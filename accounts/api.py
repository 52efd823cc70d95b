"""The accounts app in the API: accounts, contacts (the personal profile on its own address,
each read logged as on the web) and departments — written through the web's forms."""

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import services
from accounts.filters import AccountFilter
from accounts.forms import AccountForm, ContactForm, DepartmentForm, PersonalProfileForm
from accounts.models import Account, Contact, Department, PersonalDataAccess, PersonalProfile
from crm.api.base import FormWrites, RecordViewSet
from crm.api.forms import input_serializer


def _parent_field(help_text):
    return serializers.IntegerField(min_value=1, required=False, help_text=help_text)


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", *AccountForm.Meta.fields, "created_at", "updated_at"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "account", *ContactForm.Meta.fields, "created_at", "updated_at"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "account", *DepartmentForm.Meta.fields, "created_at", "updated_at"]


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalProfile
        fields = ["contact", *PersonalProfileForm.Meta.fields, "updated_at"]


class AccountViewSet(FormWrites, RecordViewSet):
    queryset = Account.objects.select_related("owner").prefetch_related("collaborators")
    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    ordering_fields = ["id", "name", "updated_at"]
    form_class = AccountForm
    input_serializer_class = input_serializer(AccountForm, optional=["owner"])

    def save_form(self, form):
        return services.save_account(form)


class ContactViewSet(FormWrites, RecordViewSet):
    """Registered by relationships/api.py, which adds the contact list's filters (stage,
    personality) that live there."""

    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_fields = ["account", "department", "function", "level", "is_guide", "is_active"]
    ordering_fields = ["id", "name", "updated_at"]
    form_class = ContactForm
    parent_field = "account"
    input_serializer_class = input_serializer(
        ContactForm, extra={"account": _parent_field("The contact's account (on create only).")}
    )

    def parent_queryset(self):
        return Account.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {"account": instance.account}

    def save_form(self, form):
        return services.save_contact(form)

    @action(detail=True, methods=["get"], serializer_class=ProfileSerializer)
    def profile(self, request, pk=None):
        """The contact's personal profile (个人资料): sensitive, so on its own address, and
        every read recorded as on the contact page (PIPL)."""
        contact = self.get_object()
        profile = getattr(contact, "profile", None)
        if profile is None:
            return Response({})
        services.log_personal_data_access(
            contact=contact, user=request.user, channel=PersonalDataAccess.Channel.API
        )
        return Response(ProfileSerializer(profile).data)


class DepartmentViewSet(FormWrites, RecordViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    filterset_fields = ["account", "function"]
    ordering_fields = ["id", "name"]
    form_class = DepartmentForm
    parent_field = "account"
    input_serializer_class = input_serializer(
        DepartmentForm,
        extra={"account": _parent_field("The department's account (on create only).")},
    )

    def parent_queryset(self):
        return Account.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {"account": instance.account}


def routes(router):
    router.register("accounts", AccountViewSet, basename="account")
    router.register("departments", DepartmentViewSet, basename="department")
