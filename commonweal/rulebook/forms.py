"""The amendment form: every rule of the schema as a field with its label, help, type and
bounds, filled with the value in force. A rule the schema refuses is shown beside its field,
in words (a share in per cent), never as raw JSON.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonweal.core.markdown import clean_plain

from . import schema
from .labels import LABELS, SECTIONS, _word

NOTE_MAX = 5000


def field_name(key: str) -> str:
    return key.replace(".", "__")


def _is_share(key: str) -> bool:
    return LABELS[key].unit == "share"


def _help(key: str, rule: schema.Rule) -> str:
    """The rule's help, then its unit and bounds: "In months, from 1 to 120." """
    label = LABELS[key]
    parts = [str(label.help)] if label.help else []
    low = getattr(rule.check, "low", None)
    high = getattr(rule.check, "high", None)
    if _is_share(key):
        parts.append(_("In per cent of the members concerned, from 0 to 100."))
    elif label.unit == "threshold":
        parts.append(_("A share (0.01 is 1%) or a number of members, as the rule above says."))
    elif low is not None:
        unit = {
            "days": _("In days"),
            "months": _("In months"),
            "minutes": _("In minutes"),
            "members": _("In members"),
        }.get(label.unit, _("A number"))
        if high is not None:
            parts.append(
                _("%(unit)s, from %(low)s to %(high)s.")
                % {"unit": unit, "low": f"{low:g}", "high": f"{high:g}"}
            )
        else:
            parts.append(_("%(unit)s, at least %(low)s.") % {"unit": unit, "low": f"{low:g}"})
    return " ".join(parts)


class NamesField(forms.CharField):
    """A rule listing bodies by short name (no fixed choices: any body may be named, even one
    not created yet), written with commas between the names."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):  # data given as the rule stores it
            value = ", ".join(map(str, value))
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class CoursesByOfficeField(forms.CharField):
    """A rule naming courses by kind of office, one line per office: "chair: chairing"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return "\n".join(f"{kind}: {', '.join(slugs)}" for kind, slugs in value.items())
        return value

    def to_python(self, value: Any) -> dict[str, list[str]]:  # type: ignore[override]
        if isinstance(value, dict):  # data given as the rule stores it
            value = self.prepare_value(value)
        mapping: dict[str, list[str]] = {}
        for line in super().to_python(value).splitlines():
            if not line.strip():
                continue
            kind, colon, names = line.partition(":")
            if not colon:
                raise forms.ValidationError(
                    _("Write one office per line, then a colon and the courses: %(line)s")
                    % {"line": line.strip()}
                )
            mapping[kind.strip().lower()] = [n.strip() for n in names.split(",") if n.strip()]
        return mapping


def _field(key: str, rule: schema.Rule) -> forms.Field:
    label, help_text = LABELS[key].label, _help(key, rule)
    kinds = rule.kind if isinstance(rule.kind, tuple) else (rule.kind,)
    low = getattr(rule.check, "low", None)
    high = getattr(rule.check, "high", None)
    choices = getattr(rule.check, "choices", None)
    if bool in kinds:
        return forms.BooleanField(label=label, help_text=help_text, required=False)
    if dict in kinds:
        offices = ", ".join(getattr(rule.check, "keys", ()))
        return CoursesByOfficeField(
            label=label,
            help_text=f"{help_text} "
            + _(
                "One line per office (%(offices)s): the office, a colon, then the courses' "
                "short names separated by commas."
            )
            % {"offices": offices},
            required=False,
        )
    if list in kinds and not choices:
        return NamesField(
            label=label,
            help_text=f"{help_text} {_('Short names of bodies, separated by commas.')}".strip(),
            required=False,
        )
    if list in kinds:
        return forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            choices=[(c, _word(key, c)) for c in choices or ()],
            widget=forms.CheckboxSelectMultiple,
        )
    if str in kinds:
        return forms.ChoiceField(
            label=label, help_text=help_text, choices=[(c, _word(key, c)) for c in choices or ()]
        )
    attrs: dict[str, Any] = {"inputmode": "numeric" if int in kinds else "decimal"}
    if _is_share(key):
        attrs.update(min=0, max=100, step="any")
    elif low is not None:
        attrs["min"] = low
        if high is not None:
            attrs["max"] = high
    if kinds == (int,):
        return forms.IntegerField(
            label=label, help_text=help_text, widget=forms.NumberInput(attrs=attrs)
        )
    attrs.setdefault("step", "any")
    return forms.DecimalField(
        label=label, help_text=help_text, widget=forms.NumberInput(attrs=attrs)
    )


def _refusal(key: str, rule: schema.Rule, message: str) -> str:
    """The schema's refusal in the member's words: bounds as the field shows them."""
    low = getattr(rule.check, "low", None)
    high = getattr(rule.check, "high", None)
    if key == "policy.support_threshold" and "share" in message:
        return _("As a share of the members in scope, this must be between 0 and 1.")
    if _is_share(key):
        return _("Must be between 0% and 100%.")
    if low is not None and high is not None:
        return _("Must be between %(low)s and %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"}
    if low is not None:
        return _("Must be at least %(low)s.") % {"low": f"{low:g}"}
    if getattr(rule.check, "choices", None):
        return _("Choose among the options given.")
    return message


class AmendmentForm(forms.Form):
    """A whole new version: every rule, starting from the version in force."""

    title = forms.CharField(label=gettext_lazy("Title of the new version"), max_length=200)
    note = forms.CharField(
        label=gettext_lazy("Why this amendment"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, in_force: Any, **kwargs: Any) -> None:
        """``in_force`` is the ``Rulebook`` in force; its values (or the shipped ones for a
        rule it does not state) are the form's starting values."""
        super().__init__(*args, **kwargs)
        self.sections = []
        for section, fields in schema.RULES.items():
            names = []
            for name, rule in fields.items():
                key = f"{section}.{name}"
                field = _field(key, rule)
                value = in_force[key]
                if _is_share(key):
                    value = Decimal(str(value)) * 100
                if isinstance(field, CoursesByOfficeField):
                    value = field.prepare_value(value)
                field.initial = value
                self.fields[field_name(key)] = field
                names.append(field_name(key))
            self.sections.append((SECTIONS.get(section, section), names))

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[n] for n in names]) for title, names in self.sections]

    def rules(self) -> dict[str, Any]:
        """The new version as the rulebook stores it (shares back to 0–1)."""
        rules: dict[str, Any] = {"title": clean_plain(self.cleaned_data.get("title", ""))}
        for section, fields in schema.RULES.items():
            rules[section] = {}
            for name, rule in fields.items():
                key = f"{section}.{name}"
                value = self.cleaned_data.get(field_name(key))
                kinds = rule.kind if isinstance(rule.kind, tuple) else (rule.kind,)
                if isinstance(value, Decimal):
                    if _is_share(key):
                        value = value / 100
                    value = (
                        int(value)
                        if value == value.to_integral_value() and int in kinds
                        else float(value)
                    )
                rules[section][name] = value
        return rules

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            schema.validate(self.rules())
        except schema.RulebookInvalid as invalid:
            for key, message in invalid.errors.items():
                section, _dot, name = key.partition(".")
                rule = schema.RULES.get(section, {}).get(name)
                if rule is None:
                    self.add_error(None, f"{key}: {message}")
                    continue
                if field_name(key) in self.errors:
                    continue  # already refused as a value of the wrong kind
                self.add_error(field_name(key), _refusal(key, rule, message))
        return data
