"""What the relationships endpoints share: a service's refusal as the API's 409, and writes
through forms that carry no version (the web's create-only forms: logging, planning, to-dos)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status

from crm.api.base import FormWrites
from crm.api.filters import IdFilter
from crm.api.forms import form_errors


def looked_up_id(view) -> str:
    """The id in the URL of a lookup made outside DRF's own (which answers 404 for an id that
    is not a number): anything but digits is no record, never a failed query."""
    value = view.kwargs[view.lookup_url_kwarg or view.lookup_field]
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return value


def by_id(field_name):
    # Not a choice filter: that answers "not a valid choice" only for ids that do not exist,
    # which would tell whether a record out of one's reach does.
    return IdFilter(field_name=field_name)


class Refused(exceptions.APIException):
    """The service refused what the web's form accepted (the state changed, a confirmation is
    missing): the web shows its message on the form; the API answers 409 with it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"

    def __init__(self, detail, **extra):
        super().__init__()
        self.detail = {"detail": detail, **extra}


def refusal(error: DjangoValidationError) -> Refused:
    return Refused(" ".join(str(message) for message in error.messages))


class ServiceWrites(FormWrites):
    """FormWrites whose service may refuse (a Django ValidationError, shown on the form as the
    web's view shows it) and whose form may be one without a version (no `try_save`)."""

    def service_save(self, form):
        raise NotImplementedError

    def save_form(self, form):
        try:
            return self.service_save(form)
        except DjangoValidationError as error:
            form.add_error(None, error)
            return None

    def _write(self, form, seen: str = ""):
        if hasattr(form, "try_save"):
            return super()._write(form, seen)
        if form.is_valid() and (saved := self.save_form(form)) is not None:
            return saved
        raise exceptions.ValidationError(form_errors(form))
