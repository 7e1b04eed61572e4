from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from commonweal.core.markdown import one_line

SUBJECTS = {
    "confirm": lambda action: _("Please confirm: %(title)s") % {"title": action.title},
    "again": lambda action: _("You answered already: %(title)s") % {"title": action.title},
    "invite": lambda action: _("Join us: after “%(title)s”") % {"title": action.title},
}


@task(queue_name="email")
def email_signer(signup_id: int, kind: str) -> None:
    """Write to a signer. The links' token is made here from the row, never passed in a
    task's arguments (stored in the database); every email carries the link to withdraw."""
    from .models import Signup
    from .services import signup_token

    signup = Signup.objects.select_related("action").filter(pk=signup_id).first()
    if signup is None or signup.erased_at is not None or not signup.email:
        return
    site = settings.SITE_URL.rstrip("/")
    token = signup_token(signup)
    context = {
        "signup": signup,
        "action": signup.action,
        "confirm_url": site + reverse("act:confirm", args=[token]),
        "manage_url": site + reverse("act:manage", args=[token]),
        "action_url": site + signup.action.get_public_url(),
        "join_url": site + reverse("members:join"),
    }
    message = EmailMultiAlternatives(
        subject=one_line(SUBJECTS[kind](signup.action)),
        body=render_to_string(f"mobilisation/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[signup.email],
        headers={
            "List-Unsubscribe": f"<{context['manage_url']}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


@task(queue_name="default")
def prune_signups() -> int:
    """Forget unconfirmed answers and non-members' data past the rulebook's retention."""
    from .services import signups_prune

    return signups_prune()
