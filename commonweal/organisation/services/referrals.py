"""Items one body refers to another."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.record.services import record_append

from ..models import Body, Referral


def referral_create(
    *, from_body: Body, to_body: Body, title: str, text: str, link: str = "", referred_by: Any
) -> Referral:
    """Refer an item to another body, up, down or sideways."""
    if not referred_by.has_perm("organisation.refer_from_body", from_body):
        raise NotPermitted(
            _("Only officers of %(body)s may refer items from it.") % {"body": from_body}
        )
    title = clean_plain(title)
    if not title or not text.strip():
        raise Refused(_("A referral needs a title and a text."), field="title")
    if from_body.pk == to_body.pk:
        raise Refused(_("A body cannot refer an item to itself."), field="to_body")
    with transaction.atomic():
        referral = Referral.objects.create(
            from_body=from_body,
            to_body=to_body,
            title=title,
            text=text,
            link=link,
            referred_by=referred_by,
            referred_at=clock.now(),
        )
        record_append(
            kind="referral.created",
            subject=referral,
            actor=referred_by,
            payload={"from": from_body.pk, "to": to_body.pk},
        )
        notify(
            kind="referral.received",
            title=_("%(from)s refers “%(title)s” to %(to)s")
            % {"from": from_body.name, "title": title, "to": to_body.name},
            link=f"/organisation/bodies/{to_body.slug}/",
            bodies=[to_body],
            actor=referred_by,
        )
    return referral


def referral_answer(
    *, referral: Referral, response: str, answered_by: Any, decline: bool = False
) -> Referral:
    if not answered_by.has_perm("organisation.refer_from_body", referral.to_body):
        raise NotPermitted(
            _("Only officers of %(body)s may answer this referral.") % {"body": referral.to_body}
        )
    if not response.strip():
        raise Refused(_("Write the answer."), field="response")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != Referral.Status.OPEN:
            raise Conflict(_("This referral has already been answered."))
        referral.status = Referral.Status.DECLINED if decline else Referral.Status.ANSWERED
        referral.response = response
        referral.answered_at = clock.now()
        referral.save(update_fields=["status", "response", "answered_at"])
        record_append(
            kind="referral.answered",
            subject=referral,
            actor=answered_by,
            payload={"status": referral.status},
        )
        notify(
            kind="referral.answered",
            title=_("%(to)s answered “%(title)s”")
            % {"to": referral.to_body.name, "title": referral.title},
            link=f"/organisation/bodies/{referral.from_body.slug}/",
            bodies=[referral.from_body],
            actor=answered_by,
        )
    return referral
