"""Emails about membership, sent from the worker, never inside a request."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from commonweal.core.markdown import one_line
from commonweal.organisation.models import Unit

from .models import Member, MembershipApplication


def send_application_outcome(application_id: int) -> None:
    email_application_outcome.enqueue(application_id)


@task(queue_name="email")
def email_application_outcome(application_id: int) -> None:
    application = MembershipApplication.objects.select_related("applicant", "unit").get(
        pk=application_id
    )
    if application.applicant.status == application.applicant.Status.ERASED:
        return  # erased before the worker got here: there is no one left to write to
    accepted = application.status == MembershipApplication.Status.ACCEPTED
    context = {"application": application, "accepted": accepted, "site_url": settings.SITE_URL}
    subject = (_("Welcome to %(unit)s") if accepted else _("Your application to %(unit)s")) % {
        "unit": application.unit.name
    }
    send_mail(
        subject=one_line(subject),
        message=render_to_string("members/email/application_outcome.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[application.applicant.email],
    )


def send_account_exists(member_id: int, unit_id: int) -> None:
    email_account_exists.enqueue(member_id, unit_id)


@task(queue_name="email")
def email_account_exists(member_id: int, unit_id: int) -> None:
    """Someone asked to join with an address that has an account: tell its owner, not them."""
    member = Member.objects.get(pk=member_id)
    if not member.is_active:
        return
    context = {
        "member": member,
        "unit": Unit.objects.get(pk=unit_id),
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject=_("You already have an account"),
        message=render_to_string("members/email/account_exists.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[member.email],
    )


def send_import_invitations(member_ids: list[int]) -> None:
    email_import_invitations.enqueue(member_ids)


@task(queue_name="email")
def email_import_invitations(member_ids: list[int]) -> int:
    """Each imported member's invitation, with a link to set their password.

    The link is allauth's password-reset link: it works once (setting a password changes
    what it is bound to) and expires after PASSWORD_RESET_TIMEOUT. Whoever has set a
    password meanwhile, or is no longer a member, gets nothing, so a rerun sends no copies
    to those who have used theirs.
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import EmailMessage, get_connection
    from django.urls import reverse

    messages = []
    # Resolved once for the chunk, not once a member.
    link = settings.SITE_URL.rstrip("/") + reverse(
        "account_reset_password_from_key", kwargs={"uidb36": "UIDB36", "key": "KEY"}
    )
    members = Member.objects.filter(pk__in=member_ids, status=Member.Status.MEMBER)
    for member in members.select_related("unit"):
        if member.has_usable_password():
            continue
        key = default_token_generator.make_token(member)
        context = {
            "member": member,
            "link": link.replace("UIDB36", user_pk_to_url_str(member)).replace("KEY", key),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "site_url": settings.SITE_URL,
        }
        messages.append(
            EmailMessage(
                subject=one_line(
                    _("You are a member of %(unit)s on Commonweal: set your password")
                    % {"unit": member.unit.name if member.unit else ""}
                ),
                body=render_to_string("members/email/import_invitation.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[member.email],
            )
        )
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def send_application_waiting(application_id: int) -> None:
    email_application_waiting.enqueue(application_id)


@task(queue_name="email")
def email_application_waiting(application_id: int) -> None:
    """The time for a decision has run out: the applicant hears it is still being considered
    (an applicant gets no notifications in the app, which only members read)."""
    application = MembershipApplication.objects.select_related("applicant", "unit").get(
        pk=application_id
    )
    applicant = application.applicant
    if application.status != application.Status.PENDING or applicant.status == "erased":
        return  # decided, withdrawn or erased before the worker got here
    context = {"application": application, "site_url": settings.SITE_URL}
    send_mail(
        subject=one_line(
            _("Your application to %(unit)s is still being considered")
            % {"unit": application.unit.name}
        ),
        message=render_to_string("members/email/application_waiting.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[applicant.email],
    )
