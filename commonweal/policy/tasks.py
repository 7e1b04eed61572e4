"""Background work of the policy process: the periodic sweep and invitation emails."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from commonweal.core import clock
from commonweal.core.markdown import one_line

from . import services
from .models import ExternalInvitation, Stage
from .windows import closed_notice

SWEEP_EVERY = timedelta(minutes=15)
SWEEP_PATH = "commonweal.policy.tasks.sweep"


@task(queue_name="default")
def sweep() -> dict[str, int]:
    """Expire proposals and flag stalled steps, then book the next sweep."""
    done = services.proposals_sweep()
    schedule_next_sweep()
    return done


def schedule_next_sweep() -> None:
    """Keep exactly one future sweep waiting in the queue; the chain lives in the database."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=SWEEP_PATH, status="READY").exists():
        return
    sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()


@task(queue_name="email")
def email_invitation(invitation_id: int) -> None:
    """Make the link's token here, not in the request: task arguments are stored in the
    database, and a token there would open the draft to whoever reads that table."""
    invitation = ExternalInvitation.objects.select_related("proposal__section").get(
        pk=invitation_id
    )
    if invitation.sent_at is not None or closed_notice(invitation) is not None:
        return
    token = services.invitation_token_issue(invitation)
    link = settings.SITE_URL.rstrip("/") + reverse("policy:external", args=[token])
    context = {"invitation": invitation, "proposal": invitation.proposal, "link": link}
    send_mail(
        subject=one_line(
            _("%(section)s invites you to comment on a draft policy")
            % {"section": invitation.proposal.section.name}
        ),
        message=render_to_string("policy/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    ExternalInvitation.objects.filter(pk=invitation_id).update(sent_at=clock.now())


@task(queue_name="email")
def email_consultation_closed(invitation_id: int) -> None:
    """Tell an invitee that the consultation closed before the day their invitation named,
    and why: an invitation is never cut short in silence. Sent once (the close is one)."""
    invitation = ExternalInvitation.objects.select_related("proposal__section").get(
        pk=invitation_id
    )
    early = (
        invitation.proposal.early_ends.filter(
            stage=Stage.CONSULTATION, at__lt=invitation.expires_at
        )
        .order_by("-at")
        .first()
    )
    if early is None or invitation.closed_told_at is not None:
        return
    context = {"invitation": invitation, "proposal": invitation.proposal, "early": early}
    send_mail(
        subject=one_line(
            _("The consultation on “%(title)s” has closed early")
            % {"title": invitation.proposal.title}
        ),
        message=render_to_string("policy/email/consultation_closed.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    ExternalInvitation.objects.filter(pk=invitation_id).update(closed_told_at=clock.now())
