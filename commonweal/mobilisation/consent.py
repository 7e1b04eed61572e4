"""The words a signer is shown for each purpose they may agree to, and their versions.

The wording shown is stored with each consent, with its version: change a text here and
raise its version, so what each signer agreed to stays provable. The form and the service
read the same function, so what is stored is what was shown.
"""

from django.utils.translation import gettext as _

from .models import ActionPage, Consent

VERSIONS = {
    Consent.Purpose.ACTION: 1,
    Consent.Purpose.CAMPAIGN: 1,
    Consent.Purpose.BRANCH: 1,
}

# Given with every sign-up: without it the signature cannot be confirmed or counted.
REQUIRED = Consent.Purpose.ACTION
OPTIONAL = (Consent.Purpose.CAMPAIGN, Consent.Purpose.BRANCH)


def wording(action: ActionPage, purpose: str) -> str:
    """The sentence beside the purpose's box (or, for this action, beside the button)."""
    if purpose == Consent.Purpose.ACTION:
        return _(
            "You may email me about “%(action)s” only: to confirm my answer, and to tell "
            "me what comes of it."
        ) % {"action": action.title}
    if purpose == Consent.Purpose.CAMPAIGN:
        campaign = action.struggle.title if action.struggle is not None else action.title
        return _("Keep me informed about the campaign “%(campaign)s”.") % {"campaign": campaign}
    if purpose == Consent.Purpose.BRANCH:
        return _(
            "My local branch may contact me (by email, or by phone if I gave a number) to "
            "invite me to what it does."
        )
    raise ValueError(purpose)


def shown(action: ActionPage) -> list[dict[str, object]]:
    """Each optional purpose with its wording, as the sign form shows them."""
    return [{"purpose": p, "wording": wording(action, p), "version": VERSIONS[p]} for p in OPTIONAL]
