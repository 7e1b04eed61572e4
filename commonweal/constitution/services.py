"""Amending the constitution: draft, put to the body the rulebook names, decided by its vote,
in force on the date stated.

One amendment at a time is before the body or waiting for its date, and only one drafted
against the version in force may be put to the vote, so an adopted amendment never undoes
another adopted meanwhile.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.notifications.services import member_reach, notify
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import subject_of
from commonweal.rulebook import schema
from commonweal.rulebook.diff import rulebook_diff
from commonweal.rulebook.labels import WORDS
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current
from commonweal.rulebook.services import (
    rulebook_bring_into_force,
    rulebook_decided,
    rulebook_stage,
    rulebook_submitted,
)

from . import selectors

CLOSE_STEP = "commonweal.constitution.services.amendment_vote_closed"


def version_url(version: RulebookVersion) -> str:
    return reverse("constitution:version", args=[version.number])


def _competent_body() -> Body:
    """The body that amends the constitution; a superuser passes `_require_amender` even
    when the organisation has not created it yet."""
    body = selectors.competent_body()
    if body is None:
        raise Conflict(
            _("The national body the rulebook names to amend the constitution does not exist yet.")
        )
    return body


def _require_amender(member: Any) -> None:
    if not member.has_perm("constitution.amend"):
        body = selectors.competent_body()
        raise NotPermitted(
            _("Only members of %(body)s may amend the constitution.")
            % {"body": body.name if body else _("the body the rulebook names")}
        )


def _everyone() -> list[int]:
    """The top units: a unit means every member in its subtree."""
    return list(Unit.objects.filter(depth=1).values_list("pk", flat=True))


def amendment_draft(*, rules: dict[str, Any], note: str, drafted_by: Any) -> RulebookVersion:
    """Stage a new version drafted against the one in force; the body hears of it."""
    _require_amender(drafted_by)
    in_force = current()
    # Refused with every bad rule named before it is compared (a draft over the API can be
    # any JSON at all; the page's form has checked each field already).
    try:
        schema.validate(rules)
    except schema.RulebookInvalid as invalid:
        found = Refusals()
        for key, message in invalid.errors.items():
            found.add(Refused(f"{key}: {message}", field=key))
        found.raise_any()
    if not rulebook_diff(in_force.rules, rules):
        raise Refused(_("This draft changes no rule."))
    body = _competent_body()
    with transaction.atomic():
        version = rulebook_stage(
            rules=rules, staged_by=drafted_by, note=note, based_on=in_force.version
        )
        notify(
            kind="constitution.drafted",
            title=_("Amendment to the constitution drafted: version %(n)s, %(title)s")
            % {"n": version.number, "title": version.title},
            link=version_url(version),
            actor=drafted_by,
            **member_reach(actor=drafted_by, bodies=[body]),
            thread=subject_of(version),
        )
    return version


def amendment_submit(
    *,
    version: RulebookVersion,
    closes_at: datetime,
    comes_into_force_at: datetime,
    submitted_by: Any,
    meeting: Any = None,
) -> Any:
    """Put a drafted version to the body the rulebook names as a motion, with the majority
    the rulebook requires for constitutional change; its vote opens now."""
    from commonweal.meetings.services import agenda_item_add
    from commonweal.voting.services import vote_create, vote_open

    _require_amender(submitted_by)
    rulebook = current()
    body = _competent_body()
    now = clock.now()
    if version.status != RulebookVersion.Status.STAGED or version.vote_id is not None:
        raise Conflict(_("This version is not a draft waiting to be put to the vote."))
    if version.based_on != rulebook.version:
        raise Conflict(
            _(
                "This draft was made against version %(old)s; version %(new)s is now in force. "
                "Draft the amendment again against it."
            )
            % {"old": version.based_on or "—", "new": rulebook.version}
        )
    if (other := selectors.pending()) is not None:
        raise Conflict(
            _("Version %(n)s is already before the body or waiting for its date.")
            % {"n": other.number}
        )
    shortest = rulebook["constitution.vote_days"]
    if closes_at < now + timedelta(days=shortest):
        raise Refused(
            _("Under the rulebook, a vote on an amendment stays open at least %(n)s days.")
            % {"n": shortest},
            field="closes_at",
        )
    if comes_into_force_at < closes_at:
        raise Refused(
            _("It can only come into force after its vote has closed."),
            field="comes_into_force_at",
        )
    if meeting is not None and (meeting.body_id != body.pk or meeting.closes_at <= now):
        raise Refused(
            _("Choose a meeting of %(body)s that has not closed.") % {"body": body.name},
            field="meeting",
        )
    majority = rulebook["constitution.majority"]
    title = _("Amend the constitution: version %(n)s, %(title)s") % {
        "n": version.number,
        "title": version.title,
    }
    with transaction.atomic():
        vote = vote_create(
            title=title,
            body=body,
            method="majority",
            closes_at=closes_at,
            created_by=None,
            subject=subject_of(version),
            on_close=CLOSE_STEP,
            majority=majority,
            meeting=meeting,
        )
        if meeting is not None:
            agenda_item_add(
                meeting=meeting,
                kind="motion",
                title=title,
                text=_motion_text(version, rulebook.rules, majority),
                vote=vote,
                subject=subject_of(version),
                added_by=None,
            )
        rulebook_submitted(
            version=version,
            vote_id=vote.pk,
            comes_into_force_at=comes_into_force_at,
            submitted_by=submitted_by,
        )
        vote = vote_open(vote=vote, opened_by=None)
        notify(
            kind="constitution.submitted",
            title=_("%(body)s votes on amending the constitution (version %(n)s) until %(date)s")
            % {"body": body.name, "n": version.number, "date": _when(closes_at)},
            link=version_url(version),
            bodies=[body],
            actor=submitted_by,
            thread=subject_of(version),
        )
    return vote


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _motion_text(version: RulebookVersion, in_force: dict[str, Any], majority: str) -> str:
    """The motion as the agenda shows it: each change from the rules in force, in words."""
    lines = [
        _("That version %(n)s of the rulebook, %(title)s, be adopted (%(majority)s needed):")
        % {"n": version.number, "title": version.title, "majority": WORDS[majority]}
    ]
    lines += [
        f"- {change.label}: {change.before} → {change.after}"
        for change in rulebook_diff(in_force, version.rules)
    ]
    return "\n".join(lines)


def amendment_vote_closed(vote: Any) -> None:
    """The vote's closing step: carried (with a quorum) it is adopted and comes into force on
    its date; otherwise it stays staged-and-rejected, with the outcome recorded."""
    from commonweal.decisions.models import Decision
    from commonweal.decisions.services import decision_record

    version = RulebookVersion.objects.filter(vote_id=vote.pk).first()
    # Putting a version to the vote gave it its date (`rulebook_submitted`).
    if version is None or version.status != RulebookVersion.Status.STAGED:
        return
    in_force_at = version.comes_into_force_at
    if in_force_at is None:
        return
    carried = bool((vote.result or {}).get("effective")) and vote.outcome == "carried"
    decision = None
    if carried:
        decision = decision_record(
            kind=Decision.Kind.RULEBOOK,
            title=vote.title,
            text=_("Version %(n)s of the rulebook is adopted; it comes into force on %(date)s.")
            % {"n": version.number, "date": _when(in_force_at)},
            body=vote.body,
            rulebook_version=vote.rulebook_version,
            vote=vote,
            meeting=vote.meeting_id,
            subject=subject_of(version),
            link=version_url(version),
        )
    version = rulebook_decided(
        version=version, carried=carried, outcome=vote.outcome, decision=decision
    )
    if not carried:
        why = (
            _("it had no quorum")
            if not (vote.result or {}).get("effective")
            else _("it did not win the majority needed")
        )
        notify(
            kind="constitution.rejected",
            title=_("The amendment to the constitution (version %(n)s) is rejected: %(why)s.")
            % {"n": version.number, "why": why},
            link=version_url(version),
            bodies=[vote.body_id],
            members=[version.staged_by_id] if version.staged_by_id else [],
            thread=subject_of(version),
        )
        return
    notify(
        kind="constitution.adopted",
        title=_("The constitution is amended: version %(n)s comes into force on %(date)s.")
        % {"n": version.number, "date": _when(in_force_at)},
        link=version_url(version),
        units=_everyone(),
        thread=subject_of(version),
    )
    if in_force_at <= clock.now():
        _bring_into_force(version)


def _bring_into_force(version: RulebookVersion) -> RulebookVersion:
    version = rulebook_bring_into_force(version=version, decision=version.adopted_by)
    notify(
        kind="constitution.in_force",
        title=_("Version %(n)s of the constitution is now in force.") % {"n": version.number},
        link=version_url(version),
        units=_everyone(),
        thread=subject_of(version),
    )
    return version


def amendments_sweep() -> int:
    """The platform's clock: adopted amendments whose date has come are brought into force,
    in date order, and every member is told. Safe to run twice (a version in force is not
    adopted any more)."""
    brought = 0
    due = RulebookVersion.objects.filter(
        status=RulebookVersion.Status.ADOPTED, comes_into_force_at__lte=clock.now()
    ).order_by("comes_into_force_at", "number")
    for version in due:
        try:
            with transaction.atomic():
                _bring_into_force(version)
        except Conflict:
            continue
        brought += 1
    return brought
