"""The public home page's "Joint statements" section (website.sections)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.website.sections import Section, register

from .selectors import public_statements

HOME_STATEMENTS = 5


def _latest() -> list[dict]:
    items = []
    for statement in public_statements()[:HOME_STATEMENTS]:
        text = statement.texts.all()[0]
        items.append(
            {
                "title": text.title,
                "url": statement.get_public_url(),
                "note": _("with %(org)s") % {"org": statement.relationship.organisation.name},
                "lang": text.language,
            }
        )
    return items


register(
    Section(
        key="joint_statements",
        title=_("Joint statements"),
        items=_latest,
        more_url=lambda: reverse("solidarity:list"),
        more_label=_("All joint statements"),
        empty=_("No joint statements yet."),
    )
)
