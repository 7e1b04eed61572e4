"""Emails organisers send to signers: each carries a one-click link to stop that purpose."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from commonweal.core.markdown import one_line


@task(queue_name="email")
def email_message(signup_id: int, purpose: str, subject: str, text: str) -> None:
    """Send one organiser's message to one signer, if they still consent to its purpose
    (they may have withdrawn since it was written). The token is made here from the row."""
    from .models import Signup
    from .selectors import consented
    from .services import signup_token

    signup = Signup.objects.select_related("action").filter(pk=signup_id).first()
    if signup is None or not consented(signup.action, purpose).filter(pk=signup.pk).exists():
        return
    site = settings.SITE_URL.rstrip("/")
    token = signup_token(signup)
    unsubscribe_url = site + reverse("organising:unsubscribe", args=[token, purpose])
    context = {
        "action": signup.action,
        "signup": signup,
        "text": text,
        "unsubscribe_url": unsubscribe_url,
        "manage_url": site + reverse("act:manage", args=[token]),
        "action_url": site + signup.action.get_public_url(),
    }
    EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string("mobilisation/email/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[signup.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    ).send()
