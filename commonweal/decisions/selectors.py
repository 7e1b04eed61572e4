"""Reading the decision register: search, the decision page, on-time figures per body."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.csv_export import in_chunks, link_by_pk
from commonweal.rulebook.selectors import current as current_rulebook

from . import ballots, tendencies
from .models import Action, ActionReport, Decision, MinorityPosition

# Decisions read per query by the CSV download; a register of 10,000 takes ten.
CSV_CHUNK = 1000


def _count_of(model: Any, **filters: Any) -> Subquery:
    """Counted per shown row, so a page of the register never groups every decision."""
    rows = model.objects.filter(decision=OuterRef("pk"), **filters).order_by().values("decision")
    return Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


def bodies_recordable_by(member: Any) -> QuerySet[Any]:
    """The open bodies whose decisions taken outside the platform the member may enter:
    those they are an officer of, and every body within a unit they are an officer of
    (``decisions.record_decision``)."""
    from commonweal.organisation.models import Body
    from commonweal.organisation.selectors import (
        holds_office,
        officer_body_ids,
        officer_unit_paths,
    )

    bodies = (
        Body.objects.filter(closed_on=None).select_related("unit").order_by("unit__path", "name")
    )
    if getattr(member, "is_superuser", False):
        return bodies
    if not getattr(member, "is_member", False):
        return bodies.none()
    # Most who ask hold no office: one query says so (the register asks on every view).
    if not get_user_model().objects.filter(holds_office("pk"), pk=member.pk).exists():
        return bodies.none()
    mine = Q(pk__in=officer_body_ids(member))
    for path in officer_unit_paths(member):
        mine |= Q(unit__path__startswith=path)
    return bodies.filter(mine)


def body_section(body: Any, viewer: Any) -> Any:
    """The body page's link to its decisions and, for those who may, to record one."""
    from commonweal.organisation.body_page import Section

    return Section(
        template="decisions/_body_decisions.html",
        context={
            "body": body,
            "may_enter": body.closed_on is None
            and viewer.has_perm("decisions.record_decision", body),
        },
    )


def register(
    *,
    body: Any = None,
    unit: Any = None,
    text: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Decision]:
    """Decisions filtered by body, unit (its subtree), words in the title, text or subject,
    and a date range; newest first, with what the list shows fetched in the same query."""
    qs = Decision.objects.select_related("body", "body__unit").annotate(
        n_minority=_count_of(MinorityPosition, published_at__isnull=False),
        n_actions=_count_of(Action),
    )
    if body is not None:
        qs = qs.filter(body=body)
    if unit is not None:
        qs = qs.filter(body__unit__path__startswith=unit.path)
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(subject__icontains=word)
        )
    if date_from is not None:
        qs = qs.filter(decided_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(decided_at__date__lte=date_to)
    return qs.order_by("-decided_at", "-pk")


def register_csv_header() -> list[str]:
    return [
        _("Date"),
        _("Body"),
        _("Unit"),
        _("Title"),
        _("Outcome"),
        _("Subject"),
        _("Text"),
        _("Minority positions"),
        _("Actions"),
        _("Page"),
        _("See also"),
    ]


def register_csv_rows(decisions: QuerySet[Any], *, site: str) -> Iterator[list[Any]]:
    """Each decision of `register(...)` as a row a secretary files, read a chunk at a time
    so a register of any size streams in constant memory; links are absolute to `site`."""
    outcome = {kind: str(label) for kind, label in Decision.Kind.choices}
    page = link_by_pk(site, "decisions:detail")
    rows = decisions.values(
        "pk",
        "decided_at",
        "body__name",
        "body__unit__name",
        "title",
        "kind",
        "subject",
        "text",
        "n_minority",
        "n_actions",
        "link",
    )
    for chunk in in_chunks(rows, size=CSV_CHUNK):
        for d in chunk:
            yield [
                timezone.localdate(d["decided_at"]).isoformat(),
                d["body__name"],
                d["body__unit__name"],
                d["title"],
                outcome.get(d["kind"], d["kind"]),
                d["subject"],
                d["text"],
                d["n_minority"] or 0,
                d["n_actions"] or 0,
                page(d["pk"]),
                urljoin(site, d["link"]) if d["link"] else "",
            ]


def on_time_by_body(body_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per body: decisions with actions, and how many were carried out on time.

    A decision is carried out on time when every one of its actions was done by its due
    date; it is late when an action was done late or is past due and not done.
    """
    today = clock.now().date()
    decisions = Decision.objects.filter(actions__isnull=False)
    if body_ids is not None:
        decisions = decisions.filter(body_id__in=body_ids)
    rows = decisions.values("pk", "body_id", "body__name").annotate(
        n=Count("actions"),
        on_time=Count(
            "actions",
            filter=Q(
                actions__status=Action.Status.DONE, actions__done_on__lte=F("actions__due_on")
            ),
        ),
        late=Count(
            "actions",
            filter=Q(actions__status=Action.Status.DONE, actions__done_on__gt=F("actions__due_on"))
            | (~Q(actions__status=Action.Status.DONE) & Q(actions__due_on__lt=today)),
        ),
    )
    bodies: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = bodies.setdefault(
            row["body_id"],
            {
                "body_id": row["body_id"],
                "name": row["body__name"],
                "decisions": 0,
                "on_time": 0,
                "late": 0,
            },
        )
        entry["decisions"] += 1
        if row["on_time"] == row["n"]:
            entry["on_time"] += 1
        elif row["late"]:
            entry["late"] += 1
    return sorted(bodies.values(), key=lambda e: e["name"])


@dataclass(frozen=True)
class MinorityStanding:
    """Whether, and in whose name, a member may attach a minority position to a decision."""

    as_self: bool
    tendencies: list[tuple[int, str]]
    until: datetime
    review: bool
    refusal: str
    rulebook_version: int

    @property
    def may_attach(self) -> bool:
        return self.as_self or bool(self.tendencies)


def _voted_against(member: Any, vote: Any) -> bool:
    """In an open vote: the member's ballot did not back the winning outcome."""
    ballot = ballots.open_ballot(member, vote)
    if ballot is None:
        return False
    winners = set((vote.result or {}).get("winners", []))
    if vote.method == "majority":
        return ballot == ["no"] if winners == {"yes"} else ballot == ["yes"]
    return not winners.intersection(ballot[: max(vote.seats, 1)])


def _could_decide(member: Any, decision: Decision) -> bool:
    """In the vote's electorate or, without a vote, in the deciding body's scope."""
    from commonweal.organisation.rules import in_scope_of_body

    if decision.vote_id is not None:
        return ballots.may_vote(member, decision.vote)
    return in_scope_of_body(member, decision.body)


def minority_standing(member: Any, decision: Decision) -> MinorityStanding:
    """Who may attach a minority position, in whose name and until when (rulebook
    ``minority_positions``): those who voted against in an open vote, members speaking for
    a recognised tendency they belong to, or (if the rulebook says so) anyone who could
    vote; always within ``days`` of the decision and only members in its scope.

    A secret ballot links no choice to anyone, so "voted against" never applies to it:
    a member's own word that they did is not accepted.
    """
    rules = current_rulebook()
    who = rules["minority_positions.who"]
    until = decision.decided_at + timedelta(days=rules["minority_positions.days"])
    review = bool(rules["minority_positions.review"])

    def refused(reason: str) -> MinorityStanding:
        return MinorityStanding(False, [], until, review, reason, rules.version)

    if not getattr(member, "is_member", False) or not getattr(member, "is_active", True):
        return refused(_("Only members may attach a minority position."))
    if clock.now() > until:
        return refused(
            _("Minority positions could be attached until %(day)s.")
            % {"day": timezone.localtime(until).date().isoformat()}
        )
    if not _could_decide(member, decision):
        return refused(
            _("Only members who could take part in this decision may attach a minority position.")
        )
    vote = decision.vote
    as_self = "electorate" in who or (
        "voted_against" in who
        and vote is not None
        and not vote.secret
        and _voted_against(member, vote)
    )
    speakable = tendencies.speakable_by(member) if "recognised_tendency" in who else []
    if not as_self and not speakable:
        return refused(_minority_rule_text(who))
    return MinorityStanding(as_self, speakable, until, review, "", rules.version)


def _minority_rule_text(who: list[str]) -> str:
    parts = {
        "voted_against": _("members whose open ballot went against the decision"),
        "recognised_tendency": _("members speaking for a recognised tendency they belong to"),
        "electorate": _("members who could take part in the decision"),
    }
    named = "; ".join(str(parts[w]) for w in who if w in parts) or _("nobody")
    return _("Under the rulebook, minority positions come from: %(who)s.") % {"who": named}


def published_minority_positions(decision: Decision) -> QuerySet[MinorityPosition]:
    return MinorityPosition.objects.filter(
        decision=decision, published_at__isnull=False
    ).select_related("author")


def minority_positions_awaiting(decision: Decision) -> QuerySet[MinorityPosition]:
    return MinorityPosition.objects.filter(decision=decision, published_at=None).select_related(
        "author"
    )


def decision_page(decision: Decision) -> dict[str, Any]:
    """The decision with its vote, meeting, published minority positions and actions."""
    return {
        "decision": decision,
        "vote": decision.vote,
        "meeting": meeting_of(decision),
        "minority_positions": list(published_minority_positions(decision)),
        "actions": list(
            Action.objects.filter(decision=decision)
            .select_related("owner_member", "owner_body")
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=ActionReport.objects.select_related("reported_by"),
                )
            )
        ),
        "today": clock.now().date(),
    }


def meeting_of(decision: Decision) -> Any:
    """The meeting a decision was taken at, when the meetings app knows it."""
    if decision.meeting_id is None:
        return None
    try:
        model = apps.get_model("meetings", "Meeting")
    except LookupError:
        return None
    return model.objects.filter(pk=decision.meeting_id).first()


def actions_of_member(member: Any) -> QuerySet[Action]:
    return (
        Action.objects.filter(owner_member=member)
        .exclude(status=Action.Status.DONE)
        .select_related("decision")
    )


def member_export(member: Any) -> dict[str, Any]:
    return {
        "minority_positions": [
            {
                "decision": p.decision_id,
                "text": p.text,
                "on_behalf_of": p.on_behalf_of,
                "attached_at": p.attached_at.isoformat(),
            }
            for p in MinorityPosition.objects.filter(author=member)
        ],
        "actions": [
            {
                "decision": a.decision_id,
                "what": a.what,
                "due_on": a.due_on.isoformat(),
                "status": a.status,
            }
            for a in Action.objects.filter(owner_member=member)
        ],
        "action_reports": [
            {
                "action": r.action_id,
                "text": r.text,
                "percent": r.percent,
                "reported_at": r.reported_at.isoformat(),
            }
            for r in ActionReport.objects.filter(reported_by=member)
        ],
    }


def needs(seeker: Any) -> list[Any]:
    """Actions decisions bound the member to, and (for officers) their bodies, not yet
    done, soonest due first; for officers, their bodies' decisions whose review date is
    near or past and not yet reviewed; for national officers, how many actions are overdue
    across the organisation."""
    from django.urls import reverse

    from commonweal.members.needs import Need, day_end, listed

    owed = (
        Action.objects.filter(
            Q(owner_member=seeker.member) | Q(owner_body_id__in=seeker.officer_body_ids)
        )
        .exclude(status=Action.Status.DONE)
        .select_related("decision", "owner_body")
        .order_by("due_on", "pk")
    )
    found = listed(
        owed,
        lambda action: Need(
            kind="action",
            title=_("Action: %(what)s") % {"what": action.what},
            detail=action.owner_body.name if action.owner_body else action.decision.title,
            url=reverse("decisions:detail", args=[action.decision_id]),
            nav="decisions:register",
            due=day_end(action.due_on),
        ),
        lambda rest: Need(
            kind="action",
            title=_("More actions waiting for you"),
            url=reverse("decisions:register"),
            nav="decisions:register",
            count=rest,
        ),
    )
    ahead = timezone.localdate(seeker.now) + timedelta(
        days=int(current_rulebook()["decisions.review_reminder_days"])
    )
    reviews = (
        Decision.objects.filter(
            body_id__in=seeker.officer_body_ids, reviewed_at=None, review_on__lte=ahead
        )
        .select_related("body")
        .order_by("review_on", "pk")
    )
    found += listed(
        reviews,
        lambda decision: Need(
            kind="decision_review",
            title=_("Review what came of: %(title)s") % {"title": decision.title},
            detail=decision.body.name,
            url=reverse("decisions:detail", args=[decision.pk]),
            nav="decisions:register",
            due=day_end(decision.review_on),
        ),
        lambda rest: Need(
            kind="decision_review",
            title=_("More decisions to review"),
            url=reverse("decisions:register"),
            nav="decisions:register",
            count=rest,
        ),
    )
    if seeker.national:
        found.append(
            Need(
                kind="actions_overdue",
                title=_("Actions overdue across the organisation"),
                url=reverse("decisions:register"),
                nav="decisions:register",
                count=Action.objects.exclude(status=Action.Status.DONE)
                .filter(due_on__lt=timezone.localdate(seeker.now))
                .count(),
                overview=True,
            )
        )
    return found
