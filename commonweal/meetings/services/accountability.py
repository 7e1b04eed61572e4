"""Accountability of office-holders: their reports, and recall by the members."""

import math
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.notifications.services import notify
from commonweal.organisation.models import Mandate
from commonweal.organisation.selectors import members_in_scope
from commonweal.organisation.services import mandate_end
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook

from ..models import (
    AccountabilityReport,
    Recall,
    RecallSupport,
)
from ._common import (
    MAX_TEXT,
    _carried,
    _without_effect,
)


def report_file(*, mandate: Mandate, text: str, filed_by: Any) -> AccountabilityReport:
    """The holder of a mandate reports to the members on what they did with it."""
    if not filed_by.has_perm("meetings.file_report", mandate):
        raise NotPermitted(_("Only the holder of this office files its reports."))
    if mandate.ended_early_on or mandate.ends_on < clock.now().date():
        raise Conflict(_("This mandate has ended."))
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the report."), field="text")
    rulebook = current_rulebook()
    with transaction.atomic():
        report = AccountabilityReport.objects.create(
            mandate=mandate,
            text=text[:MAX_TEXT],
            filed_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="mandate.report_filed",
            subject=mandate,
            actor=filed_by,
            payload={"report": report.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="mandate.report_filed",
            title=_("%(office)s of %(body)s has reported")
            % {"office": mandate.office, "body": mandate.body.name},
            link=reverse("meetings:accountability", args=[mandate.body.slug]),
            bodies=[mandate.body],
            actor=filed_by,
        )
    return report


# Recall -----------------------------------------------------------------------------------


def recall_start(*, mandate: Mandate, reason: str, started_by: Any) -> Recall:
    """Start a recall motion; it opens for the vote once enough members in scope support it."""
    if not started_by.has_perm("meetings.support_recall", mandate):
        raise NotPermitted(
            _("Only members within %(unit)s may move to recall this office-holder.")
            % {"unit": mandate.body.unit.name}
        )
    if mandate.ended_early_on or mandate.ends_on < clock.now().date():
        raise Conflict(_("This mandate has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the office-holder should be recalled."), field="reason")
    rulebook = current_rulebook()
    in_scope = members_in_scope(mandate.body.unit).count()
    needed = max(1, math.ceil(rulebook["offices.recall_support"] * in_scope))
    try:
        with transaction.atomic():
            recall = Recall.objects.create(
                mandate=mandate,
                reason=reason[:MAX_TEXT],
                started_by=started_by,
                started_at=clock.now(),
                support_needed=needed,
                rulebook_version=rulebook.version,
            )
            record_append(
                kind="recall.started",
                subject=recall,
                actor=started_by,
                payload={"mandate": mandate.pk, "support_needed": needed},
                rulebook_version=rulebook.version,
            )
            notify(
                kind="recall.started",
                title=_("A recall of %(office)s of %(body)s is gathering support")
                % {"office": mandate.office, "body": mandate.body.name},
                link=reverse("meetings:recall", args=[recall.pk]),
                bodies=[mandate.body],
                members=[mandate.holder],
                actor=started_by,
                thread=f"recall:{recall.pk}",
            )
    except IntegrityError as exc:
        raise Conflict(_("A recall of this office-holder is already under way.")) from exc
    recall_support(recall=recall, member=started_by)
    recall.refresh_from_db()
    return recall


def recall_support(*, recall: Recall, member: Any) -> Recall:
    """Support a recall; the support that reaches the threshold puts it to the vote, once."""
    mandate = recall.mandate
    if not member.has_perm("meetings.support_recall", mandate):
        raise NotPermitted(
            _("Only members within %(unit)s may support this recall.")
            % {"unit": mandate.body.unit.name}
        )
    with transaction.atomic():
        recall = (
            Recall.objects.select_for_update(of=("self",))
            .select_related("mandate__body")
            .get(pk=recall.pk)
        )
        if recall.state != Recall.State.GATHERING:
            raise Conflict(_("This recall is no longer gathering support."))
        try:
            with transaction.atomic():
                RecallSupport.objects.create(recall=recall, member=member, supported_at=clock.now())
        except IntegrityError as exc:
            raise Conflict(_("You already support this recall.")) from exc
        recall.support_count += 1
        recall.save(update_fields=["support_count"])
        record_append(kind="recall.supported", subject=recall, actor=member)
        if recall.support_count >= recall.support_needed:
            _recall_to_vote(recall)
    return recall


def _recall_to_vote(recall: Recall) -> None:
    """Put the recall to the members in scope, under the rulebook's recall majority."""
    from commonweal.voting.services import vote_create, vote_open

    rulebook = current_rulebook()
    mandate = recall.mandate
    vote = vote_create(
        title=_("Recall %(holder)s as %(office)s of %(body)s")
        % {
            "holder": mandate.holder.display_name,
            "office": mandate.office,
            "body": mandate.body.name,
        },
        body=mandate.body,
        method="majority",
        secret=True,
        electorate=mandate.body.unit,
        closes_at=clock.now() + timedelta(days=rulebook["offices.recall_vote_days"]),
        created_by=None,
        subject=subject_of(recall),
        on_close="commonweal.meetings.services.recall_vote_closed",
        majority=rulebook["offices.recall_majority"],
    )
    vote_open(vote=vote, opened_by=None)
    recall.state = Recall.State.VOTING
    recall.vote_id = vote.pk
    recall.save(update_fields=["state", "vote_id"])
    record_append(
        kind="recall.threshold_reached",
        subject=recall,
        payload={"supports": recall.support_count, "vote": vote.pk},
        rulebook_version=recall.rulebook_version,
    )


def recall_vote_closed(vote: Any) -> None:
    """Closing step of a recall vote: if carried, the mandate ends and a decision records it."""
    from commonweal.decisions.services import decision_record

    recall = (
        Recall.objects.select_for_update(of=("self",))
        .select_related("mandate__body", "mandate__holder")
        .get(vote_id=vote.pk)
    )
    if not _carried(vote):
        recall.state = Recall.State.VOID if _without_effect(vote) else Recall.State.LOST
        recall.save(update_fields=["state"])
        return
    mandate = recall.mandate
    mandate_end(mandate=mandate, reason=_("recalled by vote #%(vote)s") % {"vote": vote.pk})
    recall.decision = decision_record(
        kind="motion",
        title=_("%(holder)s recalled as %(office)s of %(body)s")
        % {
            "holder": mandate.holder.display_name,
            "office": mandate.office,
            "body": mandate.body.name,
        },
        text=recall.reason,
        body=mandate.body,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        subject=subject_of(recall),
        link=reverse("meetings:recall", args=[recall.pk]),
    )
    recall.state = Recall.State.CARRIED
    recall.save(update_fields=["state", "decision"])
