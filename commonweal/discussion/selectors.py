"""Reading debates, checks, opinion maps and tendencies, and the figures on who is heard."""

import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet

from commonweal.core import clock
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import bodies_of, officer_unit_paths
from commonweal.rulebook.selectors import current as current_rulebook

from . import clustering
from .models import (
    Appeal,
    CheckResponse,
    Contribution,
    Debate,
    DiscussionProfile,
    OpinionMap,
    Stance,
    Statement,
    StatementVote,
    TemperatureCheck,
    Tendency,
    TendencyMembership,
    TendencyPosition,
)

SMALL_GROUP = 5
# Opinion maps are published in batches at these fixed times (from PUBLISH_FROM on).
PUBLISH_EVERY = timedelta(hours=1)
PUBLISH_FROM = datetime(2026, 1, 1, tzinfo=UTC)
NEXT_STATEMENTS = 3
PROFILE_ATTRIBUTES = ("gender", "age_band", "occupation_group", "region")


def debates_about(subject: str) -> QuerySet[Debate]:
    """Debates other apps attached to a proposal, draft or decision (`app.model:pk`)."""
    return Debate.objects.filter(subject=subject).select_related("space_body", "space_unit")


# What a tendency may take a position on, and the permission (on the item, or on the
# item's `via`) that lets someone see it: a position is seen only by whoever sees its subject.
POSITION_SUBJECTS: dict[str, tuple[str, str | None]] = {
    "discussion.debate": ("discussion.view_debate", None),
    "policy.proposal": ("policy.view_proposal", None),
    "policy.draftversion": ("policy.view_proposal", "proposal"),
    "meetings.meeting": ("meetings.view_meeting", None),
}


def position_subject(subject: str) -> Any | None:
    """The debate, proposal, draft or e-conference `app.model:pk` names, or None."""
    label, _sep, pk = (subject or "").partition(":")
    if label not in POSITION_SUBJECTS or not pk.isdigit():
        return None
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return model.objects.filter(pk=int(pk)).first()


def may_see_subject(viewer: Any, subject: str) -> bool:
    item = position_subject(subject)
    if item is None:
        return False
    perm, via = POSITION_SUBJECTS[subject.partition(":")[0]]
    return viewer.has_perm(perm, getattr(item, via) if via else item)


def positions_about(subject: str, viewer: Any) -> QuerySet[TendencyPosition]:
    """Tendency positions on a subject the viewer may see, oldest first; none otherwise."""
    found = TendencyPosition.objects.filter(subject=subject).select_related("tendency")
    return found if may_see_subject(viewer, subject) else found.none()


def positions_of(tendency: Tendency, viewer: Any, *, limit: int = 50) -> list[TendencyPosition]:
    """A tendency's latest positions on subjects the viewer may see."""
    seen: dict[str, bool] = {}
    shown = []
    for position in tendency.positions.order_by("-submitted_at", "-pk").iterator(chunk_size=200):
        if position.subject not in seen:
            seen[position.subject] = may_see_subject(viewer, position.subject)
        if seen[position.subject]:
            shown.append(position)
            if len(shown) == limit:
                break
    return shown


def _ancestor_paths(unit: Unit | None) -> list[str]:
    if unit is None:
        return []
    return [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]


def _space_filter(member: Any) -> Q:
    """Spaces a member sees as a member: the organisation, their units, their bodies' scope.

    Applicants and external participants are not members yet: they see no space.
    """
    if not getattr(member, "is_member", False):
        return Q(pk__in=[])
    paths = _ancestor_paths(getattr(member, "unit", None))
    return (
        Q(space_body=None, space_unit=None)
        | Q(space_unit__path__in=paths)
        | Q(space_body__unit__path__in=paths)
        | Q(space_body__in=bodies_of(member).values("pk"))
    )


def visible_debates(member: Any) -> QuerySet[Debate]:
    """Debates the member may open (`discussion.view_debate`): as a member of the space
    (`_space_filter`) or as an officer of a unit above a unit's or body's space."""
    if not getattr(member, "is_member", False):
        return Debate.objects.none()
    seen = _space_filter(member)
    for path in officer_unit_paths(member):
        seen |= Q(space_unit__path__startswith=path) | Q(space_body__unit__path__startswith=path)
    return Debate.objects.filter(seen)


def debates_for(member: Any) -> QuerySet[Debate]:
    return (
        Debate.objects.filter(_space_filter(member))
        .select_related("space_body", "space_unit", "opened_by")
        .annotate(contribution_count=Count("contributions"))
        .order_by("-opened_at", "-pk")
    )


def checks_for(member: Any) -> QuerySet[TemperatureCheck]:
    return (
        TemperatureCheck.objects.filter(_space_filter(member))
        .select_related("space_body", "space_unit")
        .annotate(response_count=Count("responses"))
        .order_by("-opened_at", "-pk")
    )


def spaces_for(member: Any, perm: str = "discussion.open_debate") -> list[tuple[str, str]]:
    """Choices for where the member may open a debate (or, by `perm`, a check): (value, label).

    Wide spaces the rulebook keeps to their officers are left out for everyone else.
    """
    spaces = [("org", str(_label_org()), Debate())]
    unit = getattr(member, "unit", None)
    if unit is not None:
        for ancestor in Unit.objects.filter(path__in=_ancestor_paths(unit)).order_by("depth"):
            spaces.append((f"unit:{ancestor.pk}", ancestor.name, Debate(space_unit=ancestor)))
    for body in bodies_of(member).select_related("unit").order_by("name"):
        spaces.append((f"body:{body.pk}", body.name, Debate(space_body=body)))
    return [(value, label) for value, label, space in spaces if member.has_perm(perm, space)]


def _label_org() -> str:
    from django.utils.translation import gettext

    return gettext("The whole organisation")


def appeal_body_for(debate: Debate) -> Body | None:
    """The body above the debate's space: the parent unit's assembly, or the leadership."""
    unit: Unit | None
    if debate.space_body is not None:
        unit = debate.space_body.unit
    elif debate.space_unit_id:
        unit = debate.space_unit
    else:
        unit = Unit.objects.filter(depth=1).order_by("path").first()
    if unit is None:
        return None
    parent = (
        Unit.objects.filter(path=unit.path[: -Unit.steplen]).first() if unit.depth > 1 else None
    )
    target = parent or unit
    if target.depth == 1:
        kinds = [Body.Kind.LEADERSHIP, Body.Kind.CONFERENCE, Body.Kind.ASSEMBLY]
    else:
        kinds = [Body.Kind.ASSEMBLY]
    bodies = Body.objects.filter(unit=target)
    if debate.space_body_id is not None:
        bodies = bodies.exclude(pk=debate.space_body_id)
    for kind in kinds:
        body = bodies.filter(kind=kind).first()
        if body is not None:
            return body
    return None


def debate_page(debate: Debate, member: Any) -> dict[str, Any]:
    """Top-level arguments by stance with their replies (one level), a constant number of queries.

    Hidden contributions stay in place as a notice; their text reaches only
    the author and the moderators.
    """
    replies = Contribution.objects.select_related("author").order_by("posted_at", "pk")
    top = list(
        debate.contributions.filter(parent=None)
        .select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=replies),
            Prefetch("appeals", queryset=Appeal.objects.order_by("-lodged_at")),
        )
    )
    columns: dict[str, list[Contribution]] = {stance: [] for stance in Stance.values}
    for contribution in top:
        columns[contribution.stance].append(contribution)
    return {
        "debate": debate,
        "for_arguments": columns[Stance.FOR],
        "against_arguments": columns[Stance.AGAINST],
        "neither_arguments": columns[Stance.NEITHER],
        "positions": list(positions_about(f"discussion.debate:{debate.pk}", member)),
        "voice": voice_figures(debate),
    }


def voice_figures(debate: Debate) -> dict[str, Any]:
    """How contributions are spread across members: distinct contributors, top-tenth share, Gini."""
    counts = sorted(
        debate.contributions.values("author").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    total = sum(counts)
    contributors = len(counts)
    if not total:
        return {"contributors": 0, "contributions": 0, "top_tenth_share": None, "gini": None}
    tenth = max(1, math.ceil(contributors / 10))
    ascending = counts[::-1]
    weighted = sum((i + 1) * c for i, c in enumerate(ascending))
    gini = (2 * weighted) / (contributors * total) - (contributors + 1) / contributors
    return {
        "contributors": contributors,
        "contributions": total,
        "top_tenth": tenth,
        "top_tenth_share": sum(counts[:tenth]) / total,
        "gini": max(0.0, gini),
    }


def voice_by_group(debate: Debate) -> dict[str, list[dict[str, Any]]]:
    """Contributors and contributions per self-described group, among those who consented.

    A group with fewer than SMALL_GROUP contributors is folded into "other"
    (and "other" itself is dropped if still small), so nobody can be picked out.
    """
    rows = list(
        DiscussionProfile.objects.filter(
            consent=True, member__in=debate.contributions.values("author")
        ).values("member_id", *PROFILE_ATTRIBUTES)
    )
    per_author = Counter(
        debate.contributions.filter(author__in=[r["member_id"] for r in rows]).values_list(
            "author", flat=True
        )
    )
    labels = {value: str(label) for value, label in DiscussionProfile.AgeBand.choices}
    result: dict[str, list[dict[str, Any]]] = {}
    for attribute in PROFILE_ATTRIBUTES:
        people: Counter[str] = Counter()
        writing: Counter[str] = Counter()
        for row in rows:
            value = (row[attribute] or "").strip().casefold()
            if not value:
                continue
            people[value] += 1
            writing[value] += per_author[row["member_id"]]
        groups: list[dict[str, Any]] = []
        other_people = other_writing = 0
        for value, n in people.most_common():
            if n < SMALL_GROUP:
                other_people += n
                other_writing += writing[value]
            else:
                groups.append(
                    {
                        "group": labels.get(value, value),
                        "contributors": n,
                        "contributions": writing[value],
                    }
                )
        if other_people >= SMALL_GROUP:
            groups.append(
                {"group": "", "contributors": other_people, "contributions": other_writing}
            )
        total = sum(g["contributions"] for g in groups)
        for group in groups:
            group["share"] = group["contributions"] / total if total else 0
        if groups:
            result[attribute] = groups
    return result


def check_results(check: TemperatureCheck) -> dict[str, Any]:
    """Counts per stance and the reasons grouped under each."""
    responses = check.responses.order_by("responded_at", "pk").values_list("choice", "reason")
    grouped: dict[str, dict[str, Any]] = {
        choice: {"label": label, "count": 0, "reasons": []}
        for choice, label in CheckResponse.Choice.choices
    }
    for choice, reason in responses:
        grouped[choice]["count"] += 1
        if reason:
            grouped[choice]["reasons"].append(reason)
    return {"by_choice": grouped, "total": sum(g["count"] for g in grouped.values())}


def own_response(check: TemperatureCheck, member: Any) -> CheckResponse | None:
    return check.responses.filter(member=member).first()


def next_statements(
    opinion_map: OpinionMap, member: Any, *, limit: int = NEXT_STATEMENTS
) -> list[Statement]:
    """Statements the member has not voted on, in their own seeded random order.

    The order is fixed per member and map, so reloading does not reshuffle and
    nobody sees statements in the order they were written (first ones favoured).
    """
    voted = set(
        StatementVote.objects.filter(opinion_map=opinion_map, member=member).values_list(
            "statement_id", flat=True
        )
    )
    ids = [
        pk
        for pk in opinion_map.statements.filter(hidden_at=None).values_list("pk", flat=True)
        if pk not in voted
    ]
    random.Random(f"{opinion_map.pk}:{member.pk}").shuffle(ids)
    chosen = ids[:limit]
    found = Statement.objects.in_bulk(chosen)
    return [found[pk] for pk in chosen]


def opinion_map_page(opinion_map: OpinionMap) -> dict[str, Any]:
    """The precomputed picture with the statements' current texts (hidden ones left out)."""
    results = opinion_map.results or {}
    wanted = set(results.get("common", [])) | set(results.get("divisive", []))
    for group in results.get("groups", []):
        wanted |= set(group.get("distinctive", []))
    statements = {s.pk: s for s in Statement.objects.filter(pk__in=wanted, hidden_at=None)}
    figures = results.get("figures", {})

    def rows(ids: list[int]) -> list[dict[str, Any]]:
        return [
            {"statement": statements[pk], "groups": figures.get(str(pk), [])}
            for pk in ids
            if pk in statements
        ]

    common = rows(results.get("common", []))
    # Common ground is where every group leans the same way: towards yes or towards no.
    rejected = [
        r for r in common if r["groups"] and all(g["disagree"] > g["agree"] for g in r["groups"])
    ]
    return {
        "participants": results.get("participants", 0),
        "groups": [
            {"label": g["label"], "size": g["size"], "distinctive": rows(g["distinctive"])}
            for g in results.get("groups", [])
        ],
        "common": [r for r in common if r not in rejected],
        "rejected": rejected,
        "divisive": rows(results.get("divisive", [])),
        "statement_count": opinion_map.statements.filter(hidden_at=None).count(),
    }


def publication_batch(now: datetime) -> datetime:
    """The fixed time of the batch `now` falls in: a whole multiple of PUBLISH_EVERY."""
    return PUBLISH_FROM + (now - PUBLISH_FROM) // PUBLISH_EVERY * PUBLISH_EVERY


def next_publication(now: datetime | None = None) -> datetime:
    """When the next batch of opinion maps is due (a map with too few new voters waits more)."""
    return publication_batch(now or clock.now()) + PUBLISH_EVERY


def own_group(opinion_map: OpinionMap, member: Any) -> str | None:
    """The member's own group, placed from their votes and the stored model; never stored."""
    model = OpinionMap.objects.filter(pk=opinion_map.pk).values_list("model", flat=True).first()
    if not model or not model.get("statement_ids"):
        return None
    column = {pk: i for i, pk in enumerate(model["statement_ids"])}
    votes = list(
        StatementVote.objects.filter(opinion_map=opinion_map, member=member).values_list(
            "statement_id", "choice"
        )
    )
    row = np.zeros((1, len(column)))
    counted = 0
    for statement_id, choice in votes:
        if statement_id in column:
            row[0, column[statement_id]] = choice
            counted += 1
    if counted < clustering.MIN_VOTES:
        return None
    point = clustering.project(
        row, np.array(model["mean"]), np.array(model["components"]), counted=counted
    )
    centroids = np.array(model["centroids"])
    label = model["labels"][int(((centroids - point) ** 2).sum(axis=1).argmin())]
    return label if label in model.get("shown", model["labels"]) else None


def tendencies() -> QuerySet[Tendency]:
    return Tendency.objects.order_by("-member_count", "name")


def recognition_minimum() -> int:
    return current_rulebook()["tendencies.recognition_minimum"]


def is_recognised(tendency: Tendency) -> bool:
    return tendency.member_count >= recognition_minimum()


def is_in_tendency(member: Any, tendency: Tendency) -> bool:
    return TendencyMembership.objects.filter(
        tendency=tendency, member=member, left_at=None
    ).exists()


def may_see_tendency_members(viewer: Any) -> bool:
    """The rulebook says whether every member or only officers may see who belongs."""
    if current_rulebook()["tendencies.membership_visible_to"] == "members":
        return viewer.has_perm("discussion.view_tendency")
    return viewer.has_perm("discussion.see_all_tendency_members")


def tendency_members(tendency: Tendency, viewer: Any) -> tuple[QuerySet[Any], int] | None:
    """Who belongs whose profile the viewer may see, and how many more belong.

    None when the rulebook keeps the list from this viewer. Belonging to a tendency is a
    political opinion, so each member's own choice of who may see their profile
    (`members.selectors.profiles_visible_to`) also decides who sees them listed here.
    """
    if not may_see_tendency_members(viewer):
        return None
    from commonweal.members.models import Member
    from commonweal.members.selectors import profiles_visible_to

    belonging = Member.objects.filter(
        tendency_memberships__tendency=tendency, tendency_memberships__left_at=None
    )
    visible = profiles_visible_to(viewer)
    counts = belonging.aggregate(all=Count("pk"), visible=Count("pk", filter=visible))
    listed = belonging.filter(visible).only("id", "full_name", "email", "status")
    return listed.order_by("full_name", "pk"), counts["all"] - counts["visible"]


def tendencies_of(member: Any) -> QuerySet[Tendency]:
    return Tendency.objects.filter(memberships__member=member, memberships__left_at=None).order_by(
        "name"
    )


def speakable_tendencies(member: Any) -> list[tuple[int, str]]:
    """(id, name) of the recognised tendencies the member belongs to and may speak for."""
    if not member.has_perm("discussion.take_part_tendency"):
        return []
    return [(t.pk, t.name) for t in tendencies_of(member) if is_recognised(t)]


def appeals_for(officer: Any) -> QuerySet[Appeal]:
    """Pending appeals to bodies the member is an officer of."""
    from commonweal.organisation.selectors import officer_body_ids

    return (
        Appeal.objects.filter(status=Appeal.Status.PENDING, to_body__in=officer_body_ids(officer))
        .select_related("contribution__debate", "contribution__author", "to_body")
        .order_by("lodged_at")
    )


def member_export(member: Any) -> dict[str, Any]:
    profile = DiscussionProfile.objects.filter(member=member).first()
    return {
        "contributions": [
            {
                "debate": c.debate_id,
                "stance": c.stance,
                "text": c.text,
                "posted_at": c.posted_at.isoformat(),
                "hidden_reason": c.hidden_reason,
            }
            for c in Contribution.objects.filter(author=member).order_by("posted_at")
        ],
        "temperature_checks": [
            {"check": r.check_poll_id, "choice": r.choice, "reason": r.reason}
            for r in CheckResponse.objects.filter(member=member)
        ],
        "statements": [
            {"map": s.opinion_map_id, "text": s.text}
            for s in Statement.objects.filter(author=member)
        ],
        "statement_votes": [
            {"statement": v.statement_id, "choice": v.choice}
            for v in StatementVote.objects.filter(member=member)
        ],
        "tendencies": [
            {
                "tendency": m.tendency.name,
                "joined_at": m.joined_at.isoformat(),
                "left": bool(m.left_at),
            }
            for m in TendencyMembership.objects.filter(member=member).select_related("tendency")
        ],
        "profile": (
            {
                "consent": profile.consent,
                **{name: getattr(profile, name) for name in PROFILE_ATTRIBUTES},
            }
            if profile
            else None
        ),
    }
