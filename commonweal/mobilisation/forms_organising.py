from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consent
from .organising import MESSAGE_MAX, SUBJECT_MAX


class MessageForm(forms.Form):
    PRESENT = "present"

    to = forms.ChoiceField(label=_("To"))
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    text = forms.CharField(label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (Consent.Purpose.ACTION, _("everyone who answered (about this action only)")),
            (Consent.Purpose.CAMPAIGN, _("those who asked to be kept informed of the campaign")),
            (Consent.Purpose.BRANCH, _("those who let their local branch contact them")),
        ]
        if action.is_event:
            choices.append((self.PRESENT, _("thanks to those who came (marked present)")))
        self.fields["to"].choices = choices
