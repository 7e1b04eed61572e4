"""5. Drafting: the section closes circulation and writes the draft, citing contributions."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.notifications.services import notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from ..models import TEXT_MAX, Circulation, Contribution, DraftVersion, Paragraph, Proposal, Stage
from ._common import _early_text, _end_window, _line, _locked, _move, _require, _text, _thread


def drafting_start(*, proposal: Proposal, by: Any, reason: str = "") -> Proposal:
    """The section closes circulation and starts composing the draft.

    Before the circulation deadline only an officer the rulebook names may, with a reason
    (`_end_window`): the units still silent lose the rest of their time.
    """
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may start drafting.") % {"section": proposal.section.name},
    )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.CIRCULATION)
        early = _end_window(proposal, by=by, reason=reason, rulebook=rulebook)
        silent = proposal.circulations.filter(status=Circulation.Status.SILENT).count()
        _move(
            proposal,
            Stage.DRAFTING,
            actor=by,
            rulebook=rulebook,
            note=_("%(n)s recipients stayed silent") % {"n": silent},
        )
        notify(
            kind="policy.drafting",
            title=_("%(section)s is drafting “%(title)s” from your contributions.")
            % {"section": proposal.section.name, "title": proposal.title},
            text=_early_text(early),
            link=proposal.get_absolute_url(),
            bodies=[proposal.section_id],
            members=[proposal.author_id],
            actor=by,
            thread=_thread(proposal),
        )
    return proposal


def draft_save(
    *, proposal: Proposal, by: Any, paragraphs: list[dict[str, Any]], note: str = ""
) -> DraftVersion:
    """Save a new version of the draft: paragraphs, each citing the contributions it drew on.

    `paragraphs` is `[{"text": str, "cites": [contribution ids]}]`.
    """
    _require(
        by,
        "policy.act_for_section",
        proposal,
        _("Only members of %(section)s may write the draft.") % {"section": proposal.section.name},
    )
    if not paragraphs:
        raise Refused(_("A draft needs at least one paragraph."), field="text")
    cleaned = []
    total = 0
    for position, paragraph in enumerate(paragraphs, start=1):
        text = _text(
            paragraph.get("text", ""),
            field="text",
            limit=TEXT_MAX,
            what=_("Paragraph %(n)s") % {"n": position},
        )
        total += len(text)
        cleaned.append((text, sorted({int(c) for c in paragraph.get("cites", [])})))
    if total > TEXT_MAX * 5:
        raise Refused(_("The draft is too long."), field="text")
    note = _line(note, field="note", limit=300, what=_("The note"), required=False)
    cited = {c for _text_, cites in cleaned for c in cites}
    # An id no database column can hold is simply unknown (SQLite raises on it, PostgreSQL too).
    storable = {c for c in cited if 0 < c < 2**63}
    known = set(
        Contribution.objects.filter(proposal=proposal, pk__in=storable).values_list("pk", flat=True)
    )
    if unknown := cited - known:
        raise Refused(
            _("These are not contributions to this proposal: %(ids)s")
            % {"ids": ", ".join(f"#{i}" for i in sorted(unknown))},
            field="text",
        )
    rulebook = current()
    with transaction.atomic():
        proposal = _locked(proposal, Stage.DRAFTING, Stage.CONSULTATION)
        last = proposal.drafts.order_by("-number").values_list("number", flat=True).first() or 0
        version = DraftVersion.objects.create(
            proposal=proposal,
            number=last + 1,
            note=note,
            created_by=by,
            created_at=clock.now(),
        )
        rows = Paragraph.objects.bulk_create(
            [
                Paragraph(version=version, position=i, text=text)
                for i, (text, _cites) in enumerate(cleaned, start=1)
            ]
        )
        Paragraph.citations.through.objects.bulk_create(
            [
                Paragraph.citations.through(paragraph_id=row.pk, contribution_id=c)
                for row, (_text_, cites) in zip(rows, cleaned, strict=True)
                for c in cites
            ]
        )
        record_append(
            kind="policy.draft_saved",
            subject=proposal,
            actor=by,
            payload={"proposal": proposal.pk, "draft": version.pk, "number": version.number},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="policy.draft_saved",
            title=_("Draft %(n)s of “%(title)s”") % {"n": version.number, "title": proposal.title},
            link=proposal.get_absolute_url(),
            bodies=[proposal.section_id],
            members=[proposal.author_id],
            actor=by,
            thread=_thread(proposal),
        )
    return version
