import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from imports import reading, services
from imports.models import ImportMapping

ARROW = re.compile(r"\s*(?:=>|->|→)\s*")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The first row names the columns. UTF-8 or GB18030 (GBK) text, or Excel."),
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=ImportMapping.objects.none(),
        required=False,
        empty_label=_("— match columns by name —"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = services.kinds_for(user)
        self.fields["kind"].choices = kinds
        self.fields["mapping"].queryset = ImportMapping.objects.filter(
            kind__in=[k for k, _label in kinds]
        ).order_by("kind", "name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s: split it.")
                % {"size": f"{limit / (1024 * 1024):,.0f} MB"}
            )
        content = upload.read()
        try:
            self.table = reading.read_table(content, upload.name)
        except reading.SourceError as exc:
            raise forms.ValidationError(exc.message) from exc
        self.content = content
        return upload

    def clean(self):
        cleaned = super().clean()
        mapping = cleaned.get("mapping")
        if mapping and cleaned.get("kind") and mapping.kind != cleaned["kind"]:
            self.add_error(
                "mapping",
                _("This mapping is for %(kind)s.") % {"kind": mapping.get_kind_display()},
            )
        return cleaned


def values_text(values: dict) -> str:
    return "\n".join(
        f"{field}: {theirs} → {ours}"
        for field, table in sorted(values.items())
        for theirs, ours in table.items()
    )


class MappingForm(forms.Form):
    """One select per field of ours (which of the file's columns fills it), the value
    mappings as lines `field: theirs → ours`, and a name to save it all for the next file."""

    values = forms.CharField(
        label=_("Value mappings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_(
            "One per line: our field, a colon, the file's value, an arrow, ours — e.g. "
            "“product: GTXPro → GTX Pro” or “stage: Won → won”."
        ),
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Optional: reuse it for the next file of this kind."),
    )

    def __init__(self, *args, importer, headers, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.column_names = []
        choices = [("", _("— not in the file —")), *((h, h) for h in headers)]
        for column in importer.columns:
            name = f"col_{column.name}"
            self.fields[name] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=False,
                help_text=_("required") if column.required else "",
            )
            self.column_names.append(name)
        # Keep the order: columns first, then the value mappings and the name.
        self.order_fields([*self.column_names, "values", "save_as"])

    def column_fields(self):
        return [self[name] for name in self.column_names]

    def clean_values(self):
        known = {c.name for c in self.importer.columns}
        values: dict[str, dict[str, str]] = {}
        for number, line in enumerate(self.cleaned_data["values"].splitlines(), start=1):
            if not line.strip():
                continue
            field, colon, rest = line.partition(":")
            parts = ARROW.split(rest.strip(), maxsplit=1)
            if not colon or len(parts) != 2 or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(n)s: write “field: their value → our value”.") % {"n": number}
                )
            field = field.strip()
            if field not in known:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(field)s” is none of our fields.")
                    % {"n": number, "field": field}
                )
            values.setdefault(field, {})[parts[0].strip()] = parts[1].strip()
        return values

    def clean_save_as(self):
        name = self.cleaned_data["save_as"].strip()
        existing = ImportMapping.objects.filter(name=name).first() if name else None
        if existing and existing.kind != self.importer.kind:
            raise forms.ValidationError(
                _("A mapping of this name exists for %(kind)s.")
                % {"kind": existing.get_kind_display()}
            )
        return name

    def columns(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): self.cleaned_data[name]
            for name in self.column_names
            if self.cleaned_data.get(name)
        }


class ConfirmForm(forms.Form):
    skip_rejected = forms.BooleanField(
        label=_("Import the good rows and leave out the rejected ones"),
        required=False,
        help_text=_("Download the rejected rows, fix them and import that file afterwards."),
    )
