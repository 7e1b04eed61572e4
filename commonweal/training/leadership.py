"""Leadership development: the courses the rulebook requires of those who stand for an office
and of those who hold one, each office-holder's training status, and the warnings before a
deadline.

The rulebook names courses by short name for a kind of office (`training.before_standing`,
`training.within_office`: "chair", "secretary" by the office's name, as organisation gives a
mandate its role, or "any" office). A completion counts for `training.retraining_days` (0:
for ever), so leaders retrain on a schedule: once a completion lapses, the holder has
`training.within_office_days` to retrain, as a new holder has to train. A short name no
published course has is not required: nobody could meet it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonweal.core import clock
from commonweal.rulebook.selectors import current as current_rulebook

from .models import Course, Enrolment

MET, DUE, RETRAINING, OVERDUE = "met", "due", "retraining", "overdue"


def office_kinds(office: str) -> set[str]:
    """The kinds of office a rule may name that this office is: "any", and "chair" or
    "secretary" when its name says so (as organisation gives a mandate its role)."""
    lowered = office.lower()
    kinds = {"any"}
    if "chair" in lowered:
        kinds.add("chair")
    elif "secretary" in lowered:
        kinds.add("secretary")
    return kinds


def _required(by_office: dict[str, list[str]], office: str, courses: dict[str, Course]) -> list:
    slugs = {slug for kind in office_kinds(office) for slug in by_office.get(kind, [])}
    return sorted((courses[s] for s in slugs if s in courses), key=lambda c: c.title)


def _published(*mappings: dict[str, list[str]]) -> dict[str, Course]:
    slugs = {slug for mapping in mappings for names in mapping.values() for slug in names}
    if not slugs:
        return {}
    return {
        c.slug: c
        for c in Course.objects.filter(
            slug__in=slugs, withdrawn_at=None, current_version__isnull=False
        )
    }


def counts_since(rulebook: Any = None) -> datetime | None:
    """The oldest completion that still counts (None: every completion counts)."""
    days = (rulebook or current_rulebook())["training.retraining_days"]
    return clock.now() - timedelta(days=days) if days else None


def _quoted(courses: list[Course]) -> str:
    return ", ".join(f"“{c.title}”" for c in courses)


def candidacy_refusal(member: Any, office: str, body: Any) -> str | None:
    """The courses the member lacks to stand for the office, in words (organisation.candidacy)."""
    rulebook = current_rulebook()
    by_office = rulebook["training.before_standing"]
    required = _required(by_office, office, _published(by_office))
    if not required:
        return None
    since = counts_since(rulebook)
    done = set(
        Enrolment.objects.filter(
            member=member,
            course__in=required,
            status=Enrolment.Status.COMPLETED,
            **({"completed_at__gte": since} if since else {}),
        ).values_list("course_id", flat=True)
    )
    missing = [c for c in required if c.pk not in done]
    if not missing:
        return None
    name = getattr(member, "display_name", "")
    return ngettext(
        "To stand for %(office)s, %(name)s must first complete the course %(courses)s.",
        "To stand for %(office)s, %(name)s must first complete the courses %(courses)s.",
        len(missing),
    ) % {"office": office, "name": name, "courses": _quoted(missing)}


@dataclass
class HolderStatus:
    """Where one office-holder stands against the courses their office requires."""

    mandate: Any
    state: str = MET
    deadline: date | None = None  # due by (or overdue since), or when to retrain by
    missing: list[Course] = field(default_factory=list)
    required: list[Course] = field(default_factory=list)

    @property
    def holder(self) -> Any:
        return self.mandate.holder

    @property
    def label(self) -> str:
        if self.state == OVERDUE:
            return _("overdue since %(date)s") % {"date": self.deadline}
        if self.state == DUE:
            return _("due by %(date)s") % {"date": self.deadline}
        if self.state == RETRAINING:
            return _("retraining due by %(date)s") % {"date": self.deadline}
        if self.deadline:
            return _("met (retrain by %(date)s)") % {"date": self.deadline}
        return _("met")


def statuses(mandates: Any, *, today: date | None = None) -> list[HolderStatus]:
    """Each mandate's holder against the courses the rulebook requires of the office (those
    for standing too, which a holder keeps current), only for offices that require any.
    Two queries whatever the number of mandates (the courses, the latest completions)."""
    rulebook = current_rulebook()
    today = today or clock.now().date()
    within, before = rulebook["training.within_office"], rulebook["training.before_standing"]
    lasts = timedelta(days=rulebook["training.retraining_days"])
    grace = timedelta(days=rulebook["training.within_office_days"])
    warn = timedelta(days=rulebook["notifications.reminder_days"])
    courses = _published(within, before)
    if not courses:
        return []
    mandates = list(mandates)
    found = []
    for mandate in mandates:
        required = _required(within, mandate.office, courses)
        required += [c for c in _required(before, mandate.office, courses) if c not in required]
        if required:
            found.append(HolderStatus(mandate=mandate, required=required))
    if not found:
        return []
    latest = {
        (row["member_id"], row["course_id"]): row["last"].date()
        for row in Enrolment.objects.filter(
            member_id__in={s.mandate.holder_id for s in found},
            course__in=list(courses.values()),
            status=Enrolment.Status.COMPLETED,
        )
        .values("member_id", "course_id")
        .annotate(last=Max("completed_at"))
        .order_by()
        if row["last"] is not None
    }
    for status in found:
        starts = status.mandate.starts_on
        deadlines, lapses = [], []
        for course in status.required:
            last = latest.get((status.mandate.holder_id, course.pk))
            lapsed_on = last + lasts if last and lasts else None
            if last and (lapsed_on is None or lapsed_on > today):
                if lapsed_on:
                    lapses.append(lapsed_on)
                continue
            status.missing.append(course)
            deadlines.append(max(starts, lapsed_on or starts) + grace)
        if status.missing:
            status.deadline = min(deadlines)
            retraining = any(latest.get((status.mandate.holder_id, c.pk)) for c in status.missing)
            status.state = OVERDUE if today > status.deadline else RETRAINING if retraining else DUE
        elif lapses:
            status.deadline = min(lapses)
            if today >= status.deadline - warn:
                status.state = RETRAINING
    return found


def _held(**filters: Any) -> Any:
    from commonweal.organisation.selectors import active_mandates

    return active_mandates(**filters).select_related("holder", "body").order_by("body__name", "pk")


def body_section(body: Any, viewer: Any) -> Any:
    """A body's page: whether its office-holders have the training their offices require
    (organisation.body_page); nothing when no office of the body requires a course."""
    from commonweal.organisation.body_page import Section

    found = statuses(_held(body=body))
    if not found:
        return None
    return Section(template="training/_body_leadership.html", context={"statuses": found})


def my_obligations(member: Any) -> list[HolderStatus]:
    """The courses the member's own offices require of them, and by when."""
    if not getattr(member, "pk", None):
        return []
    return statuses(_held(holder=member))


def department_view() -> dict[str, Any]:
    """The training department's page: every office-holder whose training is due or overdue,
    the most urgent first, and how many meet their offices' requirements."""
    found = statuses(_held())
    waiting = sorted((s for s in found if s.state != MET), key=lambda s: (s.deadline, s.mandate.pk))
    return {"waiting": waiting, "met": len(found) - len(waiting), "holders": len(found)}


def warnings_sweep() -> int:
    """The platform's clock: warn each office-holder `notifications.reminder_days` before
    their training deadline, and once it has passed tell the body's chair; each once per
    mandate and deadline (`remind_once`), however often the sweep runs; the chair's own
    lateness goes to the officers of the unit above. Returns how many were sent."""
    from django.urls import reverse

    from commonweal.members.needs import day_end
    from commonweal.notifications.services import NAMED, remind_once
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import officer_memberships, officers_above

    rulebook = current_rulebook()
    warn = timedelta(days=rulebook["notifications.reminder_days"])
    today = clock.now().date()
    sent = 0
    for status in statuses(_held(), today=today):
        if status.state == MET or status.deadline is None:
            continue
        mandate = status.mandate
        words = {
            "office": mandate.office,
            "body": mandate.body.name,
            "date": status.deadline.isoformat(),
            "courses": _quoted(status.missing or status.required),
        }
        if status.state == OVERDUE:
            chairs = set(
                officer_memberships(body=mandate.body, role=BodyMembership.Role.CHAIR)
                .exclude(member_id=mandate.holder_id)
                .values_list("member_id", flat=True)
            )
            if not chairs:  # the chair's own training: the officers of the unit above
                chairs = set(officers_above(mandate.body.unit).values_list("pk", flat=True))
                chairs.discard(mandate.holder_id)
            told = remind_once(
                subject=mandate,
                step=f"training-overdue-{status.deadline.isoformat()}",
                due_at=day_end(status.deadline),
                kind="training.overdue",
                title=_(
                    "%(holder)s, %(office)s of %(body)s, has not completed %(courses)s, due "
                    "by %(date)s"
                )
                % {**words, "holder": NAMED},
                named=mandate.holder,
                link=reverse("organisation:body", args=[mandate.body.slug]),
                members=list(chairs),
                rulebook_version=rulebook.version,
            )
        elif today >= status.deadline - warn:
            told = remind_once(
                subject=mandate,
                step=f"training-due-{status.deadline.isoformat()}",
                due_at=day_end(status.deadline),
                kind="training.due",
                title=_("As %(office)s of %(body)s, complete %(courses)s by %(date)s") % words,
                link=reverse("training:list"),
                members=[mandate.holder_id],
                rulebook_version=rulebook.version,
            )
        else:
            continue
        sent += told is not None
    return sent
