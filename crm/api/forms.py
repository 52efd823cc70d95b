"""The API writes through the web's forms: the same fields, rules and messages, in the
requester's language (docs/decisions.md, "The API writes through the forms").

`input_serializer()` describes a form's fields to the OpenAPI schema and checks the JSON types
before the form sees the data; `form_errors()` turns a form's errors into the API's shape.
"""

from django import forms
from rest_framework import serializers

NON_FIELD = "non_field_errors"


def _field(field: forms.Field, optional: bool = False) -> serializers.Field | None:
    common = {
        "required": field.required and field.initial is None and not optional,
        "help_text": str(field.help_text) or None,
        "label": str(field.label) if field.label else None,
    }
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, allow_null=not field.required, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=list(field.choices), **common)
    if isinstance(field, forms.ChoiceField):
        # With their labels: the same choice set as the model's, so the schema names it once.
        choices = [(value, label) for value, label in field.choices if value not in ("", None)]
        return serializers.ChoiceField(
            choices=choices, allow_blank=not field.required, allow_null=not field.required, **common
        )
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not field.required, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            max_value=field.max_value,
            allow_null=not field.required,
            coerce_to_string=False,
            **common,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value,
            max_value=field.max_value,
            allow_null=not field.required,
            **common,
        )
    if isinstance(field, forms.FileField):
        return None
    if isinstance(field, forms.CharField):
        return serializers.CharField(
            max_length=field.max_length,
            allow_blank=not field.required,
            allow_null=not field.required,
            trim_whitespace=False,
            **common,
        )
    return serializers.CharField(allow_blank=True, **common)


def input_serializer(form_class, *, exclude=(), extra=None, optional=(), name: str | None = None):
    """A serializer class with one field per field of `form_class` (the version excepted: the
    API carries it in the ETag and If-Match headers), and the `extra` fields (a record's parent,
    named on create). `optional` names the fields the form fills in itself when they are left
    out (an owner defaults to oneself)."""
    skip = {"version", *exclude}
    attrs = dict(extra or {})
    for field_name, field in form_class.base_fields.items():
        if field_name in skip:
            continue
        described = _field(field, optional=field_name in optional)
        if described is not None:
            attrs[field_name] = described
    class_name = name or form_class.__name__.removesuffix("Form") + "Input"
    return type(class_name, (serializers.Serializer,), attrs)


def form_errors(form) -> dict:
    """{field: [message, …]} with the form's own messages; errors of the whole form under
    `non_field_errors`, as Django REST framework names them."""
    errors = {}
    for field, messages in form.errors.get_json_data().items():
        key = NON_FIELD if field == "__all__" else field
        errors[key] = [message["message"] for message in messages]
    return errors


def current_values(form) -> dict:
    """What an unbound form shows for its instance: the base a partial update changes."""
    values = {}
    for name, field in form.fields.items():
        if name == "version" or isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if value is None and form.instance.pk is None and field.initial is not None:
            value = field.initial  # a new record's default the form sets (the owner: oneself)
        if isinstance(field, forms.ModelMultipleChoiceField):
            value = [getattr(item, "pk", item) for item in (value or [])]
        values[name] = value
    return values
