"""Reading meetings: who takes part, quorum, the speakers' queue, missing reports."""

import math
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.organisation.models import Body, BodyMembership, Mandate, Unit
from commonweal.organisation.selectors import active_mandates, members_in_scope
from commonweal.rulebook.selectors import current as current_rulebook

from .diff import word_diff
from .hooks import amended_texts
from .models import (
    AccountabilityReport,
    AgendaItem,
    Attendance,
    Delegate,
    Meeting,
    Minutes,
    Motion,
    Nomination,
    Recall,
    SpeakerRequest,
)

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations


def participants(meeting: Meeting) -> QuerySet[Member]:
    """Everyone entitled to take part: delegates if the e-conference has any, else the
    members in its scope; for other meetings the body's current members."""
    if meeting.is_econference:
        if meeting.delegates.exists():
            return Member.objects.filter(
                pk__in=Delegate.objects.filter(meeting=meeting).values("member_id"),
                status=Member.Status.MEMBER,
            )
        return members_in_scope(meeting.scope or meeting.body.unit)
    return Member.objects.filter(
        pk__in=BodyMembership.objects.filter(body_id=meeting.body_id, until=None).values(
            "member_id"
        ),
        status=Member.Status.MEMBER,
    )


def members_in_scope_count(unit: Any) -> int:
    return members_in_scope(unit).count()


def is_participant(meeting: Meeting, member: Any) -> bool:
    return participants(meeting).filter(pk=member.pk).exists()


def present(meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting, left_at=None)


def quorum_status(meeting: Meeting) -> dict[str, Any]:
    """How many take part, how many are present, how many the rulebook's quorum needs."""
    share = current_rulebook()["meetings.quorum"]
    entitled = participants(meeting).count()
    needed = max(1, math.ceil(share * entitled)) if entitled else 0
    here = present(meeting).count()
    return {
        "share": share,
        "entitled": entitled,
        "needed": needed,
        "present": here,
        "reached": entitled > 0 and here >= needed,
    }


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("body", "scope").order_by("-opens_at", "-pk")


def meetings_for_member(member: Any) -> QuerySet[Meeting]:
    """Upcoming and running meetings of the member's bodies and e-conferences in their scope."""
    now = clock.now()
    condition = Q(body__memberships__member=member, body__memberships__until=None) & ~Q(
        kind=Meeting.Kind.ECONFERENCE
    )
    if member.unit_id:
        path = member.unit.path
        steplen = member.unit.steplen
        ancestors = [path[:i] for i in range(steplen, len(path) + 1, steplen)]
        condition |= Q(
            Q(kind=Meeting.Kind.ECONFERENCE, scope__path__in=ancestors),
            ~Exists(Delegate.objects.filter(meeting=OuterRef("pk"))),
        )
    condition |= Q(
        kind=Meeting.Kind.ECONFERENCE,
        pk__in=Delegate.objects.filter(member=member).values("meeting_id"),
    )
    ids = Meeting.objects.filter(condition).values("pk")
    return (
        Meeting.objects.filter(pk__in=ids, closes_at__gte=now)
        .exclude(state=Meeting.State.CLOSED)
        .select_related("body")
        .order_by("opens_at", "pk")
    )


def public_upcoming() -> QuerySet[Meeting]:
    """Meetings announced on the public website."""
    return (
        Meeting.objects.filter(is_public=True, closes_at__gte=clock.now())
        .exclude(state=Meeting.State.CLOSED)
        .select_related("body")
        .order_by("opens_at")
    )


def speakers_queue(item: AgendaItem) -> list[SpeakerRequest]:
    """Who waits to speak: those who have not spoken on the item yet go first, each group
    in the order they asked."""
    has_spoken = SpeakerRequest.objects.filter(
        item_id=item.pk, member_id=OuterRef("member_id"), state=SpeakerRequest.State.DONE
    )
    return list(
        SpeakerRequest.objects.filter(item=item, state=SpeakerRequest.State.WAITING)
        .annotate(has_spoken=Exists(has_spoken))
        .select_related("member")
        .order_by("has_spoken", "requested_at", "pk")
    )


def speaking_now(item: AgendaItem) -> SpeakerRequest | None:
    return (
        SpeakerRequest.objects.filter(item=item, state=SpeakerRequest.State.SPEAKING)
        .select_related("member")
        .first()
    )


def speakers_done(item: AgendaItem) -> QuerySet[SpeakerRequest]:
    return (
        SpeakerRequest.objects.filter(item=item, state=SpeakerRequest.State.DONE)
        .select_related("member")
        .order_by("started_at", "pk")
    )


def motions_of(item: AgendaItem) -> list[Motion]:
    """Motions with their amendments, in the order they were tabled; each amendment
    carries its comparison with the motion's text."""
    motions = list(
        Motion.objects.filter(item=item, amends=None)
        .select_related("tabled_by", "decision")
        .prefetch_related("amendments__tabled_by")
    )
    for motion in motions:
        for amendment in motion.amendments.all():
            amendment.comparison = amendment_comparison(amendment, motion)
    return motions


def amendment_comparison(amendment: Motion, motion: Motion) -> dict[str, Any]:
    """What an amendment changes: the motion's text it amends (as it stood when the
    amendment was carried, if it was), the amended text, and the words between them."""
    return comparison(amendment.replaced_text or motion.text, amendment.text)


def comparison(original: str, amended: str) -> dict[str, Any]:
    return {"original": original, "amended": amended, "diff": word_diff(original, amended)}


def item_amendment(item: AgendaItem) -> dict[str, Any] | None:
    """For an item another app put on the agenda to amend its text (a policy amendment):
    the original, the amendment and the difference."""
    texts = amended_texts(item.subject) if item.subject else None
    return comparison(*texts) if texts else None


def report_due_on(mandate: Mandate, last_filed: date | None, every_days: int) -> date:
    return (last_filed or mandate.starts_on) + timedelta(days=every_days)


class _LastReport(TypedDict):
    last_report: datetime | None


def active_mandates_with_reports(body: Body) -> "QuerySet[WithAnnotations[Mandate, _LastReport]]":
    """The body's current mandates, each with the time of its last report."""
    return (
        active_mandates(body=body, on=clock.now().date())
        .annotate(last_report=Max("reports__filed_at"))
        .select_related("holder")
        .order_by("office", "pk")
    )


def missing_reports(body: Body) -> list[dict[str, Any]]:
    """Current office-holders of the body whose accountability report is overdue."""
    every = current_rulebook()["offices.report_every_days"]
    today = clock.now().date()
    missing = []
    for mandate in active_mandates_with_reports(body):
        last = mandate.last_report.date() if mandate.last_report else None
        due = report_due_on(mandate, last, every)
        if due < today:
            missing.append({"mandate": mandate, "due_on": due, "days_overdue": (today - due).days})
    return missing


def minutes_due_at(meeting: Meeting, rulebook: Any = None) -> datetime:
    """When the meeting's minutes are to be approved: the rulebook's
    `meetings.minutes_approval_days` after its closing time."""
    rulebook = rulebook or current_rulebook()
    return meeting.closes_at + timedelta(days=rulebook["meetings.minutes_approval_days"])


def minutes_deadline(meeting: Meeting, minutes: Minutes | None) -> dict[str, Any] | None:
    """For the meeting's page: when the minutes of a meeting past its closing time are to
    be approved, and whether that has passed; None before then and once approved."""
    now = clock.now()
    if meeting.closes_at > now or (minutes is not None and minutes.state != Minutes.State.DRAFT):
        return None
    due = minutes_due_at(meeting)
    return {"due_at": due, "overdue": due < now}


def accountability_section(body: Body, viewer: Any) -> Any:
    """The body page's part about accountability: overdue reports and where all are."""
    from commonweal.organisation.body_page import Section

    return Section(
        template="meetings/_body_accountability.html",
        context={"body": body, "missing": missing_reports(body)},
    )


def reports_of(mandate: Mandate) -> QuerySet[AccountabilityReport]:
    return AccountabilityReport.objects.filter(mandate=mandate).order_by("-filed_at")


def recalls_of(body: Body) -> QuerySet[Recall]:
    return (
        Recall.objects.filter(mandate__body=body)
        .select_related("mandate__holder", "decision")
        .order_by("-started_at")
    )


def member_export(member: Any) -> dict[str, Any]:
    """What this app holds about the member: attendance, turns to speak, motions, candidacies,
    delegations, minutes written, reports and recalls."""
    return {
        "attendance": [
            {
                "meeting": a.meeting_id,
                "arrived_at": a.arrived_at.isoformat(),
                "left_at": a.left_at.isoformat() if a.left_at else None,
            }
            for a in Attendance.objects.filter(member=member)
        ],
        "delegated_to": list(
            Delegate.objects.filter(member=member).values_list("meeting_id", flat=True)
        ),
        "speaking": [
            {"item": s.item_id, "state": s.state, "seconds": s.seconds}
            for s in SpeakerRequest.objects.filter(member=member)
        ],
        "motions": [
            {"item": m.item_id, "text": m.text, "tabled_at": m.tabled_at.isoformat()}
            for m in Motion.objects.filter(tabled_by=member)
        ],
        "candidacies": [
            {"item": n.item_id, "label": n.label, "nominated_at": n.nominated_at.isoformat()}
            for n in Nomination.objects.filter(candidate=member)
        ],
        "minutes_written": list(
            Minutes.objects.filter(written_by=member).values_list("meeting_id", flat=True)
        ),
        "accountability_reports": [
            {"mandate": r.mandate_id, "text": r.text, "filed_at": r.filed_at.isoformat()}
            for r in AccountabilityReport.objects.filter(mandate__holder=member)
        ],
        "recalls_started": [
            {"recall": r.pk, "reason": r.reason, "started_at": r.started_at.isoformat()}
            for r in Recall.objects.filter(started_by=member)
        ],
        "recalls_supported": list(
            Recall.objects.filter(supports__member=member).values_list("pk", flat=True)
        ),
    }


def put_to_vote(vote_id: int) -> dict[str, Any] | None:
    """What a vote decides, for its page: the motion's or the agenda item's text and where
    it stands on a meeting's agenda (None for a vote held outside a meeting)."""
    motion = (
        Motion.objects.filter(vote_id=vote_id).select_related("item__meeting", "amends").first()
    )
    if motion is not None:
        return {
            "text": motion.text,
            "text_html": motion.text_html,
            "item": motion.item,
            "meeting": motion.item.meeting,
            "amendment": amendment_comparison(motion, motion.amends) if motion.amends else None,
            "template": "meetings/_put_to_vote_text.html",
        }
    item = AgendaItem.objects.filter(vote_id=vote_id).select_related("meeting").first()
    if item is not None:
        return {
            "text": item.text,
            "text_html": item.text_html,
            "item": item,
            "meeting": item.meeting,
            "amendment": item_amendment(item),
            "template": "meetings/_put_to_vote_text.html",
        }
    return None


# Meetings and e-conferences listed as awaiting a member from this long before they open.
NEEDS_HORIZON_DAYS = 14


def reports_due_by(
    mandates: QuerySet[Mandate], day: date, every: int
) -> "QuerySet[WithAnnotations[Mandate, _LastReport]]":
    """Those of these mandates whose next accountability report (one every `every` days) is
    due on `day` or before."""
    last_by = day - timedelta(days=every)
    start_of_next = timezone.make_aware(datetime.combine(last_by + timedelta(days=1), time.min))
    return mandates.annotate(last_report=Max("reports__filed_at")).filter(
        Q(last_report__isnull=True, starts_on__lte=last_by) | Q(last_report__lt=start_of_next)
    )


def report_due_of(mandate: "WithAnnotations[Mandate, _LastReport]", every: int) -> date:
    last = timezone.localdate(mandate.last_report) if mandate.last_report else None
    return report_due_on(mandate, last, every)


def needs(seeker: Any) -> list[Any]:
    """The meetings and e-conferences the member may attend in the next two weeks, their
    own accountability reports due within two weeks or overdue; for officers, the overdue
    reports of their bodies' other office-holders and of the bodies of the units directly
    below theirs (escalated to them by `services.reports_sweep`); for national officers,
    how many are overdue across the organisation."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from commonweal.members.needs import Need, day_end, listed

    member, now = seeker.member, seeker.now
    today = timezone.localdate(now)
    every = current_rulebook()["offices.report_every_days"]
    upcoming = meetings_for_member(member).filter(
        opens_at__lte=now + timedelta(days=NEEDS_HORIZON_DAYS)
    )

    def meeting_need(meeting: Meeting) -> Any:
        return Need(
            kind="econference" if meeting.is_econference else "meeting",
            title=meeting.title,
            detail=f"{meeting.get_kind_display()} · {meeting.body.name}",
            url=reverse("meetings:detail", args=[meeting.pk]),
            nav="meetings:list",
            due=meeting.opens_at if meeting.opens_at > now else meeting.closes_at,
        )

    found = listed(
        upcoming,
        meeting_need,
        lambda rest: Need(
            kind="meeting",
            title=_("More meetings you may attend"),
            url=reverse("meetings:list"),
            nav="meetings:list",
            count=rest,
        ),
    )
    own = reports_due_by(
        active_mandates(holder=member, on=today),
        today + timedelta(days=NEEDS_HORIZON_DAYS),
        every,
    ).select_related("body")
    found += [
        Need(
            kind="report",
            title=_("Write your accountability report as %(office)s") % {"office": mandate.office},
            detail=mandate.body.name,
            url=reverse("meetings:report", args=[mandate.pk]),
            nav="meetings:list",
            due=day_end(report_due_of(mandate, every)),
        )
        for mandate in own
    ]
    if seeker.officer_body_ids:
        # Their bodies' reports, and those escalated to them: of the bodies of the units
        # directly below the units they are an officer of.
        theirs = Q(body_id__in=seeker.officer_body_ids)
        for path in seeker.officer_unit_paths:
            theirs |= Q(
                body__unit__path__startswith=path,
                body__unit__depth=len(path) // Unit.steplen + 1,
            )
        others = (
            reports_due_by(
                active_mandates(on=today).filter(theirs).exclude(holder=member),
                today - timedelta(days=1),
                every,
            )
            .select_related("body", "holder")
            .order_by(F("last_report").asc(nulls_first=True), "starts_on", "pk")
        )
        found += listed(
            others,
            lambda mandate: Need(
                kind="report_overdue",
                title=_("Accountability report overdue: %(holder)s, %(office)s")
                % {"holder": mandate.holder.display_name, "office": mandate.office},
                detail=mandate.body.name,
                url=reverse("meetings:accountability", args=[mandate.body.slug]),
                nav="meetings:list",
                due=day_end(report_due_of(mandate, every)),
            ),
            lambda rest: Need(
                kind="report_overdue",
                title=_("More overdue accountability reports in your bodies"),
                url=reverse("meetings:list"),
                nav="meetings:list",
                count=rest,
            ),
        )
    if seeker.national:
        found.append(
            Need(
                kind="reports_overdue",
                title=_("Accountability reports overdue across the organisation"),
                url=reverse("meetings:list"),
                nav="meetings:list",
                count=reports_due_by(active_mandates(on=today), today - timedelta(days=1), every)
                .order_by()
                .count(),
                overview=True,
            )
        )
    return found


# What a meeting is doing now: the speakers' lists with places and the speaking time,
# the item the floor is on, and the latest results. Read by the meeting page's poll and
# the projector, so a poll costs a fixed number of queries whatever the agenda's length.


def speaking_seconds() -> int:
    """The time each turn on a speakers' list has, from the rulebook."""
    return current_rulebook()["meetings.speaking_minutes"] * 60


def minutes_and_seconds(seconds: int) -> str:
    seconds = abs(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def countdown(started_at: datetime, limit: int) -> dict[str, Any]:
    """How long the speaker has left of the rulebook's speaking time (negative: over time)."""
    left = limit - int((clock.now() - started_at).total_seconds())
    return {"seconds": left, "text": minutes_and_seconds(left), "over": left < 0}


def speakers_lists(meeting: Meeting, viewer: Any = None) -> dict[int, dict[str, Any]]:
    """Each agenda item's speakers' list, by item id: the queue with each person's place
    (those who have not yet spoken on the item first), who speaks now with the countdown,
    who has spoken, and the viewer's own place. One query for all items."""
    spoken = SpeakerRequest.objects.filter(
        item_id=OuterRef("item_id"),
        member_id=OuterRef("member_id"),
        state=SpeakerRequest.State.DONE,
    )
    turns = list(
        SpeakerRequest.objects.filter(item__meeting=meeting)
        .exclude(state=SpeakerRequest.State.WITHDRAWN)
        .annotate(has_spoken=Exists(spoken))
        .select_related("member")
        .order_by("requested_at", "pk")
    )
    limit = speaking_seconds()
    lists: dict[int, dict[str, Any]] = {}
    for item_id in meeting.items.values_list("pk", flat=True):
        mine = [t for t in turns if t.item_id == item_id]
        waiting = [t for t in mine if t.state == SpeakerRequest.State.WAITING]
        waiting.sort(key=lambda t: t.has_spoken)  # stable: the order they asked within each
        speaking = next((t for t in mine if t.state == SpeakerRequest.State.SPEAKING), None)
        queue = list(enumerate(waiting, 1))
        lists[item_id] = {
            "queue": queue,
            "speaking": speaking,
            "countdown": (
                countdown(speaking.started_at, limit) if speaking and speaking.started_at else None
            ),
            "spoken": sorted(
                (t for t in mine if t.state == SpeakerRequest.State.DONE),
                key=lambda t: (t.started_at or t.requested_at, t.pk),
            ),
            "speaking_minutes": limit // 60,
            "my_place": next(
                (p for p, t in queue if viewer is not None and t.member_id == viewer.pk), None
            ),
            "last_started": max((t.started_at for t in mine if t.started_at), default=None),
        }
    return lists


def current_item_id(lists: dict[int, dict[str, Any]]) -> int | None:
    """The item the meeting is on: where someone has the floor, else where the floor was
    last given, else the first on the agenda. The chair moves it by calling a speaker."""
    speaking = [item_id for item_id, row in lists.items() if row["speaking"]]
    if speaking:
        return speaking[0]
    started = [
        (row["last_started"], item_id) for item_id, row in lists.items() if row["last_started"]
    ]
    if started:
        return max(started)[1]
    return next(iter(lists), None)


def latest_results(meeting: Meeting, limit: int = 3) -> list[Any]:
    """The meeting's votes still open, then the latest closed, for the projector."""
    from commonweal.voting.models import Vote

    votes = Vote.objects.filter(meeting_id=meeting.pk)
    return [
        *votes.filter(state=Vote.State.OPEN).order_by("closes_at", "pk"),
        *votes.filter(state=Vote.State.CLOSED).order_by("-closed_at", "-pk")[:limit],
    ]


def upcoming_elections(body: Body) -> list[Any]:
    """Elections for this body's offices in meetings not yet closed: those under way (the
    chair has opened them, naming the office and seats) and those only planned on an
    agenda (an election item of the body's own meeting, not yet opened)."""
    from django.db.models import Count
    from django.urls import reverse

    from commonweal.organisation.elections import Upcoming

    from .models import Election

    under_way = (
        Election.objects.filter(to_body=body, decision=None)
        .exclude(item__meeting__state=Meeting.State.CLOSED)
        .select_related("item__meeting")
        .order_by("item__meeting__opens_at")[:20]
    )
    planned = (
        AgendaItem.objects.filter(
            meeting__body=body,
            kind=AgendaItem.Kind.ELECTION,
            vote_id=None,
            election__isnull=True,
        )
        .exclude(meeting__state=Meeting.State.CLOSED)
        .select_related("meeting")
        .annotate(candidates=Count("nominations"))
        .order_by("meeting__opens_at", "order")[:20]
    )
    return [
        *(
            Upcoming(
                office=e.office,
                seats=e.seats,
                opens_at=e.item.meeting.opens_at,
                meeting=e.item.meeting.title,
                link=reverse("meetings:detail", args=[e.item.meeting_id]),
            )
            for e in under_way
        ),
        *(
            Upcoming(
                office=item.title,
                seats=None,
                opens_at=item.meeting.opens_at,
                meeting=item.meeting.title,
                link=reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}",
                candidates=item.candidates,
            )
            for item in planned
        ),
    ]
