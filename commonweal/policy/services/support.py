"""2. Support: members support a proposal until it reaches the threshold or expires."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.core.ratelimit import check_rate
from commonweal.notifications.services import notify
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import Rulebook, current

from ..models import Proposal, Stage, Support
from ._common import _deadline, _move, _require, _thread

# Supporting and withdrawing, counted together: a member clicking through the board stays
# well under these; a script flipping supports, or one address driving many accounts, does not.
SUPPORT_RATE_PER_ACCOUNT = "30/10m"
SUPPORT_RATE_PER_ADDRESS = "300/h"


def support_rate_check(*, member: Any, ip: str | None) -> None:
    """Refuse (429, with the wait) a member or an address that supports too often.

    Called by the page and the API before supporting or withdrawing support; the
    counters are shared by every web process (commonweal.core.ratelimit).
    """
    check_rate("policy.support", account=member, limit=SUPPORT_RATE_PER_ACCOUNT)
    check_rate("policy.support", ip=ip, limit=SUPPORT_RATE_PER_ADDRESS)


def proposal_support(*, proposal: Proposal, member: Any) -> Proposal:
    """Add a member's support; the one that reaches the threshold launches the process.

    The proposal row is locked, so however many supports arrive at once, exactly
    one of them sees the count cross the threshold and launches.
    """
    _require(
        member,
        "policy.support_proposal",
        proposal,
        _("Only members in the section's scope may support this proposal."),
    )
    rulebook = current()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if proposal.stage == Stage.WITHDRAWN:
                raise Conflict(_("This proposal has been withdrawn; it cannot be supported."))
            if proposal.stage == Stage.EXPIRED or (
                proposal.stage == Stage.PROPOSED and _deadline(proposal) <= clock.now()
            ):
                raise Conflict(_("This proposal's time to gather support has run out."))
            if proposal.stage != Stage.PROPOSED:
                raise Conflict(_("This proposal has already been launched; support is closed."))
            if Support.objects.filter(proposal=proposal, member=member, withdrawn_at=None).exists():
                raise Conflict(_("You already support this proposal."))
            Support.objects.create(proposal=proposal, member=member, created_at=clock.now())
            proposal.support_count += 1
            proposal.save(update_fields=["support_count"])
            record_append(
                kind="policy.supported",
                subject=proposal,
                actor=member,
                payload={"proposal": proposal.pk, "count": proposal.support_count},
                rulebook_version=rulebook.version,
            )
            if proposal.support_count >= proposal.support_needed:
                _launch(proposal, rulebook=rulebook)
    except IntegrityError as exc:
        raise Conflict(_("You already support this proposal.")) from exc
    return proposal


def _launch(proposal: Proposal, *, rulebook: Rulebook) -> None:
    _move(
        proposal,
        Stage.SCOPING,
        actor=None,
        rulebook=rulebook,
        note=_("%(n)s supporters reached the threshold of %(needed)s")
        % {"n": proposal.support_count, "needed": proposal.support_needed},
    )
    proposal.launched_at = proposal.stage_started_at
    proposal.save(update_fields=["launched_at"])
    supporters = list(
        Support.objects.filter(proposal=proposal, withdrawn_at=None).values_list(
            "member_id", flat=True
        )
    )
    notify(
        kind="policy.launched",
        title=_("Launched: %(title)s has the support it needs; the section now scopes it.")
        % {"title": proposal.title},
        link=proposal.get_absolute_url(),
        members=[proposal.author_id, *supporters],
        bodies=[proposal.section_id],
        thread=_thread(proposal),
    )


def support_withdraw(*, proposal: Proposal, member: Any) -> Proposal:
    rulebook = current()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.stage != Stage.PROPOSED:
            raise Conflict(
                _("Support can only be withdrawn while the proposal is gathering support.")
            )
        updated = Support.objects.filter(
            proposal=proposal, member=member, withdrawn_at=None
        ).update(withdrawn_at=clock.now())
        if not updated:
            raise Refused(_("You do not support this proposal."))
        proposal.support_count -= 1
        proposal.save(update_fields=["support_count"])
        record_append(
            kind="policy.support_withdrawn",
            subject=proposal,
            actor=member,
            payload={"proposal": proposal.pk, "count": proposal.support_count},
            rulebook_version=rulebook.version,
        )
    return proposal


def proposal_expire(*, proposal: Proposal) -> bool:
    """Expire a proposal whose support deadline has passed; False if it has moved meanwhile."""
    rulebook = current()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.stage != Stage.PROPOSED or _deadline(proposal) > clock.now():
            return False
        _move(
            proposal,
            Stage.EXPIRED,
            actor=None,
            rulebook=rulebook,
            note=_("%(n)s of %(needed)s supporters by the deadline")
            % {"n": proposal.support_count, "needed": proposal.support_needed},
        )
        notify(
            kind="policy.expired",
            title=_("Your proposal “%(title)s” expired with %(n)s of %(needed)s supporters.")
            % {
                "title": proposal.title,
                "n": proposal.support_count,
                "needed": proposal.support_needed,
            },
            link=proposal.get_absolute_url(),
            members=[proposal.author_id],
            thread=_thread(proposal),
        )
    return True
