"""Upload, new-version and withdrawal forms; the service does the real checking."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Document
from .services import MAX_SIZE
from .sniff import ACCEPTED_EXTENSIONS


def _accept_attribute() -> str:
    """A hint for the browser's file picker; the server judges the content, not the name."""
    extensions = sorted({ext for exts in ACCEPTED_EXTENSIONS.values() for ext in exts})
    return ",".join(f".{ext}" for ext in [*extensions, "jpeg", "markdown"])


def limits() -> list[dict[str, object]]:
    """What the form tells members: each kind, its size limit and accepted file types."""
    return [
        {
            "kind": Document.Kind(kind).label,
            "limit": filesizeformat(MAX_SIZE[kind]),
            "types": ", ".join(ext.upper() for ext in ACCEPTED_EXTENSIONS[kind]),
        }
        for kind in Document.Kind.values
    ]


class FileInput(forms.FileInput):
    def __init__(self) -> None:
        super().__init__(attrs={"accept": _accept_attribute(), "aria-describedby": "limits"})


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Tell from the file")), *Document.Kind.choices],
        required=False,
    )
    file = forms.FileField(label=_("File"), widget=FileInput())
    note = forms.CharField(label=_("Note on this version"), max_length=500, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=FileInput())
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this document withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the document's page to everyone who can see it."),
    )
