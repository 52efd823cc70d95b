"""The base of every API endpoint: the policy's queryset, writes through the web's forms and
services, and the version of a record in its ETag (a stale If-Match is refused with what
changed, never overwritten — as the web refuses a stale save, crm/concurrency.py)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from crm.api.forms import current_values, form_errors
from crm.concurrency import changes_since, version_of


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Send the record's ETag in an If-Match header: a change is only made to the version "
        "you have seen."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "edit_conflict"

    def __init__(self, instance, seen: str):
        self.detail = {
            "detail": _(
                "Someone else saved this record after the version you sent: nothing was "
                "changed. Read it again and send its new ETag."
            ),
            "changes": changes_since(instance, seen),
            "etag": etag_of(instance),
        }


def etag_of(instance) -> str:
    return f'"{version_of(instance)}"' if getattr(instance, "updated_at", None) else ""


def _seen_version(request) -> str:
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    return header.strip('"')


class RecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reads through the model's `visible_to` (crm.policy): outside one's reach is 404."""

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def _respond(self, instance, code=status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=instance.pk)
        response = Response(self.get_serializer(instance).data, status=code)
        if tag := etag_of(instance):
            response["ETag"] = tag
        return response


class FormWrites:
    """Create and update through the web's form: a subclass sets `form_class`,
    `input_serializer_class` (its description, crm.api.forms.input_serializer) and, where the
    web saves through a service, overrides `save_form`. The API adds no rule of its own."""

    form_class = None
    input_serializer_class = None
    # A record that belongs to another (a contact to its account): the parent is named on
    # create (among the parents one may see) and fixed after, as the web's pages fix it.
    parent_field: str | None = None

    def parent_queryset(self):
        raise NotImplementedError

    def parent_of(self, instance):
        return getattr(instance, self.parent_field)

    def new_instance(self):
        return self.get_queryset().model()

    def form_kwargs(self, instance) -> dict:
        return {"user": self.request.user}

    def save_form(self, form):
        return form.save()

    def _bind(self, data, instance):
        return self.form_class(data=data, instance=instance, **self.form_kwargs(instance))

    def _checked_input(self, partial: bool) -> dict:
        serializer = self.input_serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # The form reads the JSON as posted (its own parsing and messages), only what was sent.
        return {
            name: self.request.data[name]
            for name in serializer.validated_data
            if name != self.parent_field
        }

    def _write(self, form, seen: str = ""):
        if form.is_valid():
            saved = form.try_save(lambda: self.save_form(form))
            if saved is not None:
                return saved
        if getattr(form, "conflicts", None) is not None and form.has_error(
            "__all__", "edit_conflict"
        ):
            raise PreconditionFailed(form.instance, seen)
        raise exceptions.ValidationError(form_errors(form))

    def _posted_parent(self):
        value = self.request.data.get(self.parent_field)
        found = None
        if isinstance(value, int) and not isinstance(value, bool):
            found = self.parent_queryset().filter(pk=value).first()
        if found is None:
            message = (
                _("This field is required.")
                if value in (None, "")
                else _("Choose one of the records you can see.")
            )
            raise exceptions.ValidationError({self.parent_field: [message]})
        return found

    def create(self, request, *args, **kwargs):
        posted = self._checked_input(partial=False)
        instance = self.new_instance()
        if self.parent_field:
            setattr(instance, self.parent_field, self._posted_parent())
        # What the web's empty form starts from (the owner is oneself, the defaults), then
        # what was sent.
        data = {**current_values(self._bind(None, instance)), **posted}
        with transaction.atomic():
            saved = self._write(self._bind(data, instance))
        return self._respond(saved, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        seen = self._precondition(instance)
        data = {**current_values(self._bind(None, instance)), **self._checked_input(partial)}
        data["version"] = seen
        saved = self._write(self._bind(data, instance), seen)
        return self._respond(saved)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _precondition(self, instance) -> str:
        return precondition(self.request, instance)


class Deletes:
    """DELETE of the version one has seen; `delete_record` is the service that deletes."""

    def delete_record(self, instance) -> None:
        instance.delete()

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        precondition(request, instance)
        self.delete_record(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def precondition(request, instance) -> str:
    """The version the client saw (its If-Match): missing is 428, stale is 412."""
    seen = _seen_version(request)
    if not seen:
        raise PreconditionRequired()
    if seen != version_of(instance):
        raise PreconditionFailed(instance, seen)
    return seen
