"""Writes for debates, moderation, temperature checks, opinion maps and tendencies."""

from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.ratelimit import check_rate
from commonweal.notifications.services import NAMED, Reach, member_reach, notify
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.rules import is_member
from commonweal.organisation.selectors import officer_ids_of_body
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.search.services import index as search_index

from . import clustering, rules, selectors
from .models import (
    Appeal,
    CheckResponse,
    Contribution,
    ContributionVersion,
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

EDIT_WINDOW = timedelta(minutes=15)
# Debates and temperature checks one member may open, together, and tendency positions one
# member may submit: a member opening a few a day stays well under; a script does not.
OPEN_RATE = "5/h"
POSITION_RATE = "10/h"
MAX_TEXT = 20_000
MAX_REASON = 500


def _space(space_body: Body | None, space_unit: Unit | None) -> dict[str, Any]:
    if space_body is not None and space_unit is not None:
        raise Refused(_("Choose a body or a unit, not both."), field="space")
    return {"space_body": space_body, "space_unit": space_unit}


def _told_of(item: Any, actor: Any) -> Reach:
    """Who hears of something new in a space: `notifications.services.member_reach` of it.

    The whole organisation is not paged for each one.
    """
    if item.space_body_id:
        return member_reach(actor=actor, bodies=[item.space_body])
    if item.space_unit_id:
        return member_reach(actor=actor, units=[item.space_unit])
    return {}


def _may_open(opener: Any, item: Any, perm: str, what: str) -> None:
    """Refuse, saying why, an opener the space or the rulebook does not allow."""
    if not opener.has_perm(perm, item):
        if rules.takes_part_in_space(opener, item):
            raise NotPermitted(
                _(
                    "Only the officers of %(space)s may open %(what)s in it: it is wide, and "
                    "the rulebook keeps opening there to them."
                )
                % {"space": item.space_name, "what": what}
            )
        raise NotPermitted(
            _("Only members who take part in %(space)s may open %(what)s in it.")
            % {"space": item.space_name, "what": what}
        )


def _text(text: str, *, field: str = "text", what: str | None = None) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(what or _("Write something first."), field=field)
    if len(text) > MAX_TEXT:
        raise Refused(_("Keep it under %(n)d characters.") % {"n": MAX_TEXT}, field=field)
    return text


def _thread(debate: Debate) -> str:
    return f"discussion:{debate.pk}"


def _debate_link(debate: Debate) -> str:
    return reverse("discussion:debate", args=[debate.pk])


# Debates and contributions


def debate_open(
    *,
    space_body: Body | None = None,
    space_unit: Unit | None = None,
    question: str,
    opened_by: Any,
    subject: str = "",
    description: str = "",
) -> Debate:
    """Open a debate in a body, a unit or (neither) the whole organisation.

    Other apps attach a debate to a proposal, draft or decision through
    `subject` (`record.services.subject_of(obj)`).
    """
    space = _space(space_body, space_unit)
    _may_open(opened_by, Debate(**space), "discussion.open_debate", _("a debate"))
    question = clean_plain(question)[:300]
    if not question:
        raise Refused(_("Ask the question the debate is about."), field="question")
    check_rate("discussion.open", account=opened_by, limit=OPEN_RATE)
    rulebook = current_rulebook()
    with transaction.atomic():
        debate = Debate.objects.create(
            **space,
            question=question,
            description=(description or "").strip()[:MAX_TEXT],
            subject=subject_of(subject)[:120] if subject else "",
            opened_by=opened_by,
            opened_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        search_index("discussion.debate", debate.pk)
        record_append(
            kind="discussion.debate_opened",
            subject=debate,
            actor=opened_by,
            payload={
                "body": debate.space_body_id,
                "unit": debate.space_unit_id,
            },
            rulebook_version=rulebook.version,
        )
        notify(
            kind="discussion.debate_opened",
            title=_("New debate: %(question)s") % {"question": question},
            link=_debate_link(debate),
            actor=opened_by,
            thread=_thread(debate),
            **_told_of(debate, opened_by),
        )
    return debate


def debate_close(*, debate: Debate, closed_by: Any) -> Debate:
    if not closed_by.has_perm("discussion.manage_debate", debate):
        raise NotPermitted(_("Only whoever opened the debate or its moderators may close it."))
    with transaction.atomic():
        debate = Debate.objects.select_for_update().get(pk=debate.pk)
        if debate.status == Debate.Status.CLOSED:
            raise Conflict(_("This debate is already closed."))
        debate.status = Debate.Status.CLOSED
        debate.save(update_fields=["status"])
        record_append(kind="discussion.debate_closed", subject=debate, actor=closed_by)
    return debate


def contribution_post(
    *,
    debate: Debate,
    author: Any,
    stance: str,
    text: str,
    parent: Contribution | None = None,
) -> Contribution:
    """An argument with a stance, or a reply to one; replies nest one level only."""
    if not author.has_perm("discussion.contribute_debate", debate):
        if debate.status != Debate.Status.OPEN:
            raise Conflict(_("This debate is closed."))
        raise NotPermitted(
            _("Only members of %(space)s may take part in this debate.")
            % {"space": debate.space_name}
        )
    if parent is not None:
        if parent.debate_id != debate.pk:
            raise Refused(_("You can only reply within the same debate."), field="parent")
        if parent.parent_id is not None:
            parent = parent.parent
        stance = stance or Stance.NEITHER
    if stance not in Stance.values:
        raise Refused(_("Say whether you argue for, against, or neither."), field="stance")
    text = _text(text, what=_("Write your argument."))
    with transaction.atomic():
        contribution = Contribution.objects.create(
            debate=debate,
            parent=parent,
            author=author,
            stance=stance,
            text=text,
            posted_at=clock.now(),
        )
        record_append(
            kind="discussion.contribution_posted",
            subject=debate,
            actor=author,
            payload={"contribution": contribution.pk, "parent": getattr(parent, "pk", None)},
        )
        told = {parent.author_id} if parent is not None else {debate.opened_by_id}
        told.discard(author.pk)
        if told:
            notify(
                kind="discussion.reply" if parent else "discussion.contribution",
                title=_("%(name)s wrote in “%(question)s”")
                % {"name": NAMED, "question": debate.question},
                named=author,
                text=text[:500],
                link=_debate_link(debate) + f"#c{contribution.pk}",
                members=told,
                actor=author,
                thread=_thread(debate),
            )
    return contribution


def contribution_edit(
    *, contribution: Contribution, editor: Any, text: str, stance: str | None = None
) -> Contribution:
    """Quiet fixes within EDIT_WINDOW; later edits are marked and keep the earlier text."""
    if not editor.has_perm("discussion.edit_contribution", contribution):
        raise NotPermitted(_("Only the author may edit a contribution."))
    text = _text(text, what=_("Write your argument."))
    stance = stance or contribution.stance
    if stance not in Stance.values:
        raise Refused(_("Say whether you argue for, against, or neither."), field="stance")
    now = clock.now()
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.is_hidden:
            raise Conflict(_("A hidden contribution cannot be edited; you may appeal instead."))
        if contribution.debate.status != Debate.Status.OPEN:
            raise Conflict(_("This debate is closed."))
        if text == contribution.text and stance == contribution.stance:
            return contribution
        fields = ["text", "text_html", "stance"]
        if now - contribution.posted_at > EDIT_WINDOW:
            ContributionVersion.objects.create(
                contribution=contribution,
                stance=contribution.stance,
                text=contribution.text,
                written_at=contribution.edited_at or contribution.posted_at,
                replaced_at=now,
            )
            contribution.edited_at = now
            fields.append("edited_at")
            record_append(
                kind="discussion.contribution_edited",
                subject=contribution.debate,
                actor=editor,
                payload={"contribution": contribution.pk},
            )
        contribution.text, contribution.stance = text, stance
        contribution.save(update_fields=fields)
    return contribution


def contribution_hide(*, contribution: Contribution, moderator: Any, reason: str) -> Contribution:
    """Hide with a recorded reason the author is told; never a silent deletion."""
    if not moderator.has_perm("discussion.moderate_debate", contribution.debate):
        raise NotPermitted(_("Only the officers of this debate's body or unit may moderate it."))
    reason = clean_plain(reason)[:MAX_REASON]
    if not reason:
        raise Refused(_("Give the author a reason for hiding their contribution."), field="reason")
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.is_hidden:
            raise Conflict(_("This contribution is already hidden."))
        contribution.hidden_at = clock.now()
        contribution.hidden_by = moderator
        contribution.hidden_reason = reason
        contribution.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        record_append(
            kind="discussion.contribution_hidden",
            subject=contribution.debate,
            actor=moderator,
            payload={"contribution": contribution.pk},
        )
        notify(
            kind="discussion.contribution_hidden",
            title=_("Your contribution to “%(question)s” was hidden")
            % {"question": contribution.debate.question},
            text=reason,
            link=_debate_link(contribution.debate) + f"#c{contribution.pk}",
            members=[contribution.author_id],
            actor=moderator,
        )
    return contribution


def appeal_lodge(*, contribution: Contribution, author: Any, grounds: str) -> Appeal:
    """The author asks the body above the debate's space to restore a hidden contribution."""
    if contribution.author_id != author.pk or not is_member(author):
        raise NotPermitted(_("Only the author may appeal against hiding a contribution."))
    grounds = _text(grounds, field="grounds", what=_("Say why it should be restored."))
    to_body = selectors.appeal_body_for(contribution.debate)
    if to_body is None:
        raise Refused(_("There is no body above this debate's space to appeal to."))
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if not contribution.is_hidden:
            raise Conflict(_("This contribution is not hidden."))
        if contribution.appeals.filter(status=Appeal.Status.PENDING).exists():
            raise Conflict(_("Your appeal is already waiting for a decision."))
        if contribution.appeals.exists():
            raise Conflict(_("This contribution has already been appealed and decided."))
        appeal = Appeal.objects.create(
            contribution=contribution, to_body=to_body, grounds=grounds, lodged_at=clock.now()
        )
        record_append(
            kind="discussion.appeal_lodged",
            subject=appeal,
            actor=author,
            payload={"contribution": contribution.pk, "to_body": to_body.pk},
        )
        notify(
            kind="discussion.appeal_lodged",
            title=_("An appeal against moderation waits for %(body)s") % {"body": to_body.name},
            link=reverse("discussion:appeals"),
            members=officer_ids_of_body(to_body),
            actor=author,
        )
    return appeal


def appeal_decide(*, appeal: Appeal, decided_by: Any, uphold: bool, reason: str) -> Appeal:
    """The body above upholds (the contribution comes back) or rejects, with a reason."""
    if not decided_by.has_perm("discussion.decide_appeal", appeal):
        raise NotPermitted(
            _("Only officers of %(body)s may decide this appeal.") % {"body": appeal.to_body}
        )
    reason = clean_plain(reason)[:MAX_REASON]
    if not reason:
        raise Refused(_("Give the reason for your decision."), field="reason")
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("contribution")
            .get(pk=appeal.pk)
        )
        if appeal.status != Appeal.Status.PENDING:
            raise Conflict(_("This appeal has already been decided."))
        contribution = appeal.contribution
        if contribution.hidden_by_id == decided_by.pk:
            raise NotPermitted(_("You hid this contribution; another officer must decide."))
        appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
        appeal.decided_by = decided_by
        appeal.decided_at = clock.now()
        appeal.decision_reason = reason
        appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if uphold:
            contribution.hidden_at = None
            contribution.save(update_fields=["hidden_at"])
        record_append(
            kind="discussion.appeal_decided",
            subject=appeal,
            actor=decided_by,
            payload={"contribution": contribution.pk, "upheld": uphold},
        )
        notify(
            kind="discussion.appeal_decided",
            title=_("Your appeal was upheld: your contribution is restored")
            if uphold
            else _("Your appeal was rejected"),
            text=reason,
            link=_debate_link(contribution.debate) + f"#c{contribution.pk}",
            members=[contribution.author_id],
            actor=decided_by,
        )
    return appeal


# Temperature checks


def check_open(
    *,
    space_body: Body | None = None,
    space_unit: Unit | None = None,
    statement: str,
    opened_by: Any,
) -> TemperatureCheck:
    space = _space(space_body, space_unit)
    _may_open(opened_by, TemperatureCheck(**space), "discussion.open_check", _("a check"))
    statement = clean_plain(statement)[:300]
    if not statement:
        raise Refused(_("Write the statement to check."), field="statement")
    check_rate("discussion.open", account=opened_by, limit=OPEN_RATE)
    rulebook = current_rulebook()
    with transaction.atomic():
        check = TemperatureCheck.objects.create(
            **space,
            statement=statement,
            opened_by=opened_by,
            opened_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="discussion.check_opened",
            subject=check,
            actor=opened_by,
            payload={"body": check.space_body_id, "unit": check.space_unit_id},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="discussion.check_opened",
            title=_("Temperature check: %(statement)s") % {"statement": statement},
            link=reverse("discussion:check", args=[check.pk]),
            actor=opened_by,
            **_told_of(check, opened_by),
        )
    return check


def check_respond(
    *, check: TemperatureCheck, member: Any, choice: str, reason: str = ""
) -> CheckResponse:
    """One response per member, changeable while open; a block must say why."""
    if not member.has_perm("discussion.respond_check", check):
        if check.status != TemperatureCheck.Status.OPEN:
            raise Conflict(_("This temperature check is closed."))
        raise NotPermitted(
            _("Only members of %(space)s may respond to this check.") % {"space": check.space_name}
        )
    if choice not in CheckResponse.Choice.values:
        raise Refused(_("Choose agree, abstain, disagree or block."), field="choice")
    reason = clean_plain(reason)[:MAX_REASON]
    if choice == CheckResponse.Choice.BLOCK and not reason:
        raise Refused(
            _("A block stops the body going ahead: say why you would block."), field="reason"
        )
    with transaction.atomic():
        response, _created = CheckResponse.objects.update_or_create(
            check_poll=check,
            member=member,
            defaults={"choice": choice, "reason": reason, "responded_at": clock.now()},
        )
    return response


def check_close(*, check: TemperatureCheck, closed_by: Any) -> TemperatureCheck:
    if not closed_by.has_perm("discussion.close_check", check):
        raise NotPermitted(_("Only whoever opened the check or the officers may close it."))
    with transaction.atomic():
        check = TemperatureCheck.objects.select_for_update().get(pk=check.pk)
        if check.status == TemperatureCheck.Status.CLOSED:
            raise Conflict(_("This temperature check is already closed."))
        check.status = TemperatureCheck.Status.CLOSED
        check.closed_at = clock.now()
        check.save(update_fields=["status", "closed_at"])
        record_append(
            kind="discussion.check_closed",
            subject=check,
            actor=closed_by,
            payload={"responses": check.responses.count()},
        )
    return check


# Opinion maps


def opinion_map_open(*, debate: Debate, opened_by: Any) -> OpinionMap:
    if not opened_by.has_perm("discussion.manage_debate", debate):
        raise NotPermitted(
            _("Only whoever opened the debate or its moderators may start an opinion map.")
        )
    if debate.status != Debate.Status.OPEN:
        raise Conflict(_("This debate is closed."))
    try:
        with transaction.atomic():
            opinion_map = OpinionMap.objects.create(
                debate=debate, opened_by=opened_by, opened_at=clock.now()
            )
            record_append(
                kind="discussion.opinion_map_opened",
                subject=debate,
                actor=opened_by,
                payload={"map": opinion_map.pk},
            )
    except IntegrityError as exc:
        raise Conflict(_("This debate already has an opinion map.")) from exc
    return opinion_map


def _map_open_for(opinion_map: OpinionMap, member: Any) -> None:
    debate = opinion_map.debate
    if not member.has_perm("discussion.contribute_debate", debate):
        if debate.status != Debate.Status.OPEN:
            raise Conflict(_("This debate is closed."))
        raise NotPermitted(
            _("Only members of %(space)s may take part in this opinion map.")
            % {"space": debate.space_name}
        )
    if not opinion_map.is_open:
        raise Conflict(_("This opinion map is closed."))


def statement_add(*, opinion_map: OpinionMap, author: Any, text: str) -> Statement:
    _map_open_for(opinion_map, author)
    text = clean_plain(text)
    if not text:
        raise Refused(_("Write a short statement."), field="text")
    if len(text) > Statement.MAX_LENGTH:
        raise Refused(
            _("Keep a statement to %(n)d characters (it has %(len)d).")
            % {"n": Statement.MAX_LENGTH, "len": len(text)},
            field="text",
        )
    with transaction.atomic():
        if opinion_map.statements.filter(text__iexact=text).exists():
            raise Conflict(_("This statement is already on the map."), field="text")
        statement = Statement.objects.create(
            opinion_map=opinion_map, text=text, author=author, created_at=clock.now()
        )
        record_append(
            kind="discussion.statement_added",
            subject=opinion_map.debate,
            actor=author,
            payload={"statement": statement.pk},
        )
    return statement


def statement_hide(*, statement: Statement, moderator: Any, reason: str) -> Statement:
    debate = statement.opinion_map.debate
    if not moderator.has_perm("discussion.moderate_debate", debate):
        raise NotPermitted(_("Only the officers of this debate's body or unit may moderate it."))
    reason = clean_plain(reason)[:MAX_REASON]
    if not reason:
        raise Refused(_("Give a reason for hiding the statement."), field="reason")
    with transaction.atomic():
        updated = Statement.objects.filter(pk=statement.pk, hidden_at=None).update(
            hidden_at=clock.now(), hidden_reason=reason
        )
        if not updated:
            raise Conflict(_("This statement is already hidden."))
        record_append(
            kind="discussion.statement_hidden",
            subject=debate,
            actor=moderator,
            payload={"statement": statement.pk},
        )
        notify(
            kind="discussion.statement_hidden",
            title=_("Your statement was hidden: %(text)s") % {"text": statement.text},
            text=reason,
            link=reverse("discussion:map", args=[debate.pk]),
            members=[statement.author_id],
            actor=moderator,
        )
        _schedule_recompute(statement.opinion_map_id)
    statement.refresh_from_db()
    return statement


_COUNTER = {1: "agree_count", 0: "pass_count", -1: "disagree_count"}


def statement_vote(*, statement: Statement, member: Any, choice: str) -> StatementVote:
    """Agree, disagree or pass; voting again replaces the earlier vote, never adds to it.

    Votes are not appended to the record: who voted how on a statement is the
    raw material of the opinion groups and stays private.
    """
    opinion_map = statement.opinion_map
    _map_open_for(opinion_map, member)
    if choice not in StatementVote.CHOICES:
        raise Refused(_("Choose agree, disagree or pass."), field="choice")
    value = StatementVote.CHOICES[choice]
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.hidden_at:
            raise Conflict(_("This statement has been hidden."))
        existing = StatementVote.objects.filter(statement=statement, member=member).first()
        now = clock.now()
        if existing is None:
            vote = StatementVote.objects.create(
                opinion_map=opinion_map,
                statement=statement,
                member=member,
                choice=value,
                voted_at=now,
            )
            Statement.objects.filter(pk=statement.pk).update(
                **{_COUNTER[value]: F(_COUNTER[value]) + 1}
            )
        else:
            vote = existing
            if existing.choice != value:
                Statement.objects.filter(pk=statement.pk).update(
                    **{
                        _COUNTER[existing.choice]: F(_COUNTER[existing.choice]) - 1,
                        _COUNTER[value]: F(_COUNTER[value]) + 1,
                    }
                )
            vote.choice, vote.voted_at = value, now
            vote.save(update_fields=["choice", "voted_at"])
        _schedule_recompute(opinion_map.pk)
    return vote


def _schedule_recompute(map_id: int) -> None:
    """Mark the map for the next batch publication (`opinion_maps_publish`)."""
    OpinionMap.objects.filter(pk=map_id, recompute_pending=False).update(recompute_pending=True)


def new_voters_since(opinion_map: OpinionMap) -> int:
    """Members whose votes changed after the published map was computed."""
    votes = StatementVote.objects.filter(opinion_map=opinion_map)
    if opinion_map.computed_from is not None:
        votes = votes.filter(voted_at__gte=opinion_map.computed_from)
    return votes.values("member").distinct().count()


def opinion_maps_publish(*, now: datetime | None = None) -> list[int]:
    """Publish, once per batch, every map with new votes from enough members.

    Publishing at fixed times rather than after each vote, and only once at least
    SMALL_GROUP members have voted since the last publication, means nobody can compare
    two published maps to find which group one member's votes moved. Run by the clock
    (`core.schedule`); safe to run twice, as a map published in this batch is skipped.
    """
    batch = selectors.publication_batch(now or clock.now())
    due = OpinionMap.objects.filter(recompute_pending=True).filter(
        Q(computed_at=None) | Q(computed_at__lt=batch)
    )
    published = []
    for opinion_map in due.defer("results", "model"):
        if new_voters_since(opinion_map) >= selectors.SMALL_GROUP:
            opinion_map_recompute(map_id=opinion_map.pk)
            published.append(opinion_map.pk)
    return published


def _vote_matrix(map_id: int, statement_ids: list[int]) -> tuple[np.ndarray, clustering.Sparse]:
    """The sparse vote matrix of participants with enough votes, read in chunks."""
    columns = np.array(statement_ids, dtype=np.int64)
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT member_id, statement_id, choice FROM {StatementVote._meta.db_table} "  # noqa: S608
            "WHERE opinion_map_id = %s",
            [map_id],
        )
        while rows := cursor.fetchmany(200_000):
            chunks.append(np.array(rows, dtype=np.int64))
    data = np.concatenate(chunks) if chunks else np.zeros((0, 3), dtype=np.int64)
    position = np.searchsorted(columns, data[:, 1])
    position = np.minimum(position, max(len(columns) - 1, 0))
    keep = (columns[position] == data[:, 1]) if len(columns) else np.zeros(len(data), bool)
    data, position = data[keep], position[keep]
    members, rows = np.unique(data[:, 0], return_inverse=True)
    enough = np.bincount(rows, minlength=len(members)) >= clustering.MIN_VOTES
    renumber = np.cumsum(enough) - 1
    kept = enough[rows]
    matrix = clustering.Sparse(
        rows=renumber[rows[kept]],
        cols=position[kept],
        vals=data[kept, 2].astype(float),
        shape=(int(enough.sum()), len(columns)),
    )
    return members[enough], matrix


def opinion_map_recompute(*, map_id: int) -> dict[str, Any]:
    """Group the participants and store only aggregate per-group figures on the map.

    Warm-started from the previous components and centroids, so groups keep
    their labels from one run to the next when opinion has not moved.
    """
    started = clock.now()
    OpinionMap.objects.filter(pk=map_id).update(recompute_pending=False)
    opinion_map = OpinionMap.objects.get(pk=map_id)
    statement_ids = sorted(
        Statement.objects.filter(opinion_map=opinion_map, hidden_at=None).values_list(
            "pk", flat=True
        )
    )
    _members, matrix = _vote_matrix(map_id, statement_ids)
    previous = opinion_map.model or {}
    same_columns = previous.get("statement_ids") == statement_ids
    results: dict[str, Any] = {"participants": matrix.shape[0], "groups": []}
    model: dict[str, Any] = {}
    if matrix.shape[0] >= 2 * clustering.K_RANGE.start and statement_ids:
        found = clustering.cluster(
            matrix,
            seed=map_id,
            previous_components=np.array(previous["components"]) if same_columns else None,
            previous_centroids=np.array(previous["centroids"]) if same_columns else None,
        )
        sizes = np.bincount(found.labels, minlength=len(found.centroids))
        labels = [chr(ord("A") + g) for g in range(len(found.centroids))]
        # A group under the small-group floor is left out of every published figure.
        shown = [g for g in range(len(found.centroids)) if sizes[g] >= selectors.SMALL_GROUP]
        groups = len(shown)
        figures = {
            name: table[shown]
            for name, table in clustering.group_figures(
                matrix, found.labels, len(found.centroids)
            ).items()
        }
        summary = clustering.summarise(figures)
        sizes, labels = sizes[shown], [labels[g] for g in shown]
        column_ids = statement_ids

        def ids(indexes: list[int]) -> list[int]:
            return [column_ids[i] for i in indexes]

        mentioned = set(summary["common"]) | set(summary["divisive"])
        for listed in summary["distinctive"]:
            mentioned |= set(listed)
        results = {
            "participants": matrix.shape[0],
            "silhouette": round(found.silhouette, 3),
            "groups": [
                {
                    "label": labels[g],
                    "size": int(sizes[g]),
                    "distinctive": ids(summary["distinctive"][g]),
                }
                for g in range(groups)
            ],
            "common": ids(summary["common"]),
            "divisive": ids(summary["divisive"]),
            "figures": {
                str(column_ids[i]): [
                    {
                        "label": labels[g],
                        "agree": round(float(summary["agree_share"][g, i]), 3),
                        "disagree": round(float(summary["disagree_share"][g, i]), 3),
                        "seen": int(figures["seen"][g, i]),
                    }
                    for g in range(groups)
                ]
                for i in sorted(mentioned)
            },
        }
        model = {
            "statement_ids": statement_ids,
            "mean": found.mean.round(6).tolist(),
            "components": found.components.round(6).tolist(),
            "centroids": found.centroids.round(6).tolist(),
            "labels": [chr(ord("A") + g) for g in range(len(found.centroids))],
            "shown": labels,
        }
    results["computed_at"] = clock.now().isoformat()
    OpinionMap.objects.filter(pk=map_id).filter(
        Q(computed_from=None) | Q(computed_from__lte=started)
    ).update(results=results, model=model, computed_at=clock.now(), computed_from=started)
    return results


# Tendencies


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "tendency"
    slug, n = base, 1
    while Tendency.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def tendency_form(*, name: str, platform: str, founded_by: Any) -> Tendency:
    """Found a tendency with its platform; the founder is its first member."""
    if not founded_by.has_perm("discussion.take_part_tendency"):
        raise NotPermitted(_("Only members in good standing may form a tendency."))
    name = clean_plain(name)[:120]
    if not name:
        raise Refused(_("Give the tendency a name."), field="name")
    platform = _text(platform, field="platform", what=_("Write the tendency's platform."))
    rulebook = current_rulebook()
    try:
        with transaction.atomic():
            tendency = Tendency.objects.create(
                name=name,
                slug=_unique_slug(name),
                platform=platform,
                founded_by=founded_by,
                founded_at=clock.now(),
                member_count=0,
                rulebook_version=rulebook.version,
            )
            record_append(
                kind="discussion.tendency_formed",
                subject=tendency,
                payload={},
                rulebook_version=rulebook.version,
            )
            tendency_join(tendency=tendency, member=founded_by)
    except IntegrityError as exc:
        raise Conflict(_("A tendency with this name already exists."), field="name") from exc
    tendency.refresh_from_db()
    return tendency


def tendency_join(*, tendency: Tendency, member: Any) -> TendencyMembership:
    """Join openly. The record keeps only the count: membership may be visible to officers only."""
    if not member.has_perm("discussion.take_part_tendency"):
        raise NotPermitted(_("Only members in good standing may join a tendency."))
    minimum = selectors.recognition_minimum()
    with transaction.atomic():
        tendency = Tendency.objects.select_for_update().get(pk=tendency.pk)
        if TendencyMembership.objects.filter(
            tendency=tendency, member=member, left_at=None
        ).exists():
            raise Conflict(_("You already belong to %(name)s.") % {"name": tendency.name})
        membership = TendencyMembership.objects.create(
            tendency=tendency, member=member, joined_at=clock.now()
        )
        tendency.member_count += 1
        tendency.save(update_fields=["member_count"])
        record_append(
            kind="discussion.tendency_joined",
            subject=tendency,
            payload={"members": tendency.member_count},
        )
        if tendency.member_count == minimum:
            record_append(
                kind="discussion.tendency_recognised",
                subject=tendency,
                payload={"members": tendency.member_count},
                rulebook_version=current_rulebook().version,
            )
            notify(
                kind="discussion.tendency_recognised",
                title=_("%(name)s is now a recognised tendency") % {"name": tendency.name},
                link=reverse("discussion:tendency", args=[tendency.slug]),
                members=TendencyMembership.objects.filter(
                    tendency=tendency, left_at=None
                ).values_list("member_id", flat=True),
            )
    return membership


def tendency_leave(*, tendency: Tendency, member: Any) -> None:
    with transaction.atomic():
        tendency = Tendency.objects.select_for_update().get(pk=tendency.pk)
        updated = TendencyMembership.objects.filter(
            tendency=tendency, member=member, left_at=None
        ).update(left_at=clock.now())
        if not updated:
            raise Conflict(_("You do not belong to %(name)s.") % {"name": tendency.name})
        tendency.member_count -= 1
        tendency.save(update_fields=["member_count"])
        record_append(
            kind="discussion.tendency_left",
            subject=tendency,
            payload={"members": tendency.member_count},
        )


def _may_speak_for(tendency: Tendency, member: Any) -> None:
    if not member.has_perm("discussion.take_part_tendency"):
        raise NotPermitted(_("Only members in good standing may speak for a tendency."))
    if not selectors.is_in_tendency(member, tendency):
        raise NotPermitted(
            _("Only members of %(name)s may submit positions for it.") % {"name": tendency.name}
        )
    if not selectors.is_recognised(tendency):
        raise Refused(
            _(
                "%(name)s needs %(n)d members to be recognised before it can submit positions "
                "(it has %(count)d)."
            )
            % {
                "name": tendency.name,
                "n": selectors.recognition_minimum(),
                "count": tendency.member_count,
            }
        )


def tendency_position_submit(
    *, tendency: Tendency, subject: str, text: str, submitted_by: Any
) -> TendencyPosition:
    """A recognised tendency's position on a debate, draft, proposal or e-conference."""
    _may_speak_for(tendency, submitted_by)
    if subject.partition(":")[0] not in selectors.POSITION_SUBJECTS:
        raise Refused(
            _("Positions can be submitted to debates, proposals, drafts and e-conferences."),
            field="subject",
        )
    item = selectors.position_subject(subject)
    if item is None or not selectors.may_see_subject(submitted_by, subject):
        raise Refused(_("There is no such item."), field="subject")
    text = _text(text, what=_("Write the tendency's position."))
    check_rate("discussion.position", account=submitted_by, limit=POSITION_RATE)
    rulebook = current_rulebook()
    with transaction.atomic():
        position = TendencyPosition.objects.create(
            tendency=tendency,
            subject=subject,
            text=text,
            submitted_by=submitted_by,
            submitted_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="discussion.tendency_position",
            subject=item,
            payload={"tendency": tendency.pk, "position": position.pk},
            rulebook_version=rulebook.version,
        )
        if isinstance(item, Debate):
            told = _told_of(item, submitted_by)
            told["members"] = [*told.get("members", []), item.opened_by_id]
            notify(
                kind="discussion.tendency_position",
                title=_("%(name)s submitted a position on “%(question)s”")
                % {"name": tendency.name, "question": item.question},
                link=_debate_link(item),
                thread=_thread(item),
                **told,
            )
    return position


def tendency_minority_position_submit(
    *, tendency: Tendency, decision: Any, text: str, submitted_by: Any
) -> Any:
    """A recognised tendency's minority position, published and notified with the decision."""
    from commonweal.decisions.services import minority_position_attach

    _may_speak_for(tendency, submitted_by)
    return minority_position_attach(
        decision=decision, text=text, author=submitted_by, tendency=tendency.pk
    )


# Profile and personal data


def discussion_profile_save(
    *,
    member: Any,
    consent: bool,
    gender: str = "",
    age_band: str = "",
    occupation_group: str = "",
    region: str = "",
) -> DiscussionProfile:
    """Self-described attributes, counted only in aggregates and only with consent."""
    if age_band and age_band not in DiscussionProfile.AgeBand.values:
        raise Refused(_("Choose an age band from the list."), field="age_band")
    values = {
        "consent": bool(consent),
        "gender": clean_plain(gender)[:60],
        "age_band": age_band,
        "occupation_group": clean_plain(occupation_group)[:60],
        "region": clean_plain(region)[:60],
        "updated_at": clock.now(),
    }
    profile, _created = DiscussionProfile.objects.update_or_create(member=member, defaults=values)
    return profile


def member_erase(member: Any) -> None:
    """Contributions stay (shown as by a former member); self-description and votes go:
    statement votes (the counts and the map follow), temperature-check responses with
    their reasons (a check is not a decision: its counts are read live), and which
    tendencies they belonged to, past and present."""
    DiscussionProfile.objects.filter(member=member).delete()
    for tendency_id in TendencyMembership.objects.filter(member=member, left_at=None).values_list(
        "tendency_id", flat=True
    ):
        tendency_leave(tendency=Tendency.objects.get(pk=tendency_id), member=member)
    TendencyMembership.objects.filter(member=member).delete()
    CheckResponse.objects.filter(member=member).delete()
    maps = set()
    for vote in StatementVote.objects.filter(member=member).order_by("statement_id"):
        Statement.objects.filter(pk=vote.statement_id).update(
            **{_COUNTER[vote.choice]: F(_COUNTER[vote.choice]) - 1}
        )
        maps.add(vote.opinion_map_id)
    StatementVote.objects.filter(member=member).delete()
    for map_id in maps:
        _schedule_recompute(map_id)


def post_email_reply(*, member: Any, thread: str, text: str) -> Contribution:
    """Registered with notifications.replies for threads "discussion:<debate id>"."""
    _prefix, _sep, pk = thread.partition(":")
    debate = Debate.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if debate is None or not member.has_perm("discussion.view_debate", debate):
        raise Refused(_("This debate no longer exists."))
    return contribution_post(debate=debate, author=member, stance=Stance.NEITHER, text=text)
