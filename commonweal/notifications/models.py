"""Events that happened, and the notifications they became for each member."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField
from commonweal.members.models import FORMER_MEMBER

from .categories import BY_KEY, CATEGORIES, DELIVERY_CHOICES

# Where a title names a member: the name is put in when the title is shown, never stored,
# so a member's erasure reaches every notification and queued email that named them.
NAMED = "{name}"


class Event(models.Model):
    """Something that concerns people: the unit of fan-out.

    A title that names a member holds `NAMED` and `named` says whom; `display_title`
    fills in their current name (a former member's once erased).
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    text_html = RenderedMarkdownField(source="text")
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member the title names, filled in when it is shown.",
    )
    member_ids = models.JSONField(default=list, blank=True)
    body_ids = models.JSONField(default=list, blank=True)
    unit_ids = models.JSONField(default=list, blank=True)
    thread = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="The discussion, proposal ... it belongs to, for muting.",
    )
    created_at = models.DateTimeField()
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[(c.key, c.label) for c in CATEGORIES],
        default="other",
    )
    fan_out_after = models.BigIntegerField(
        default=0, help_text="Checkpoint: every recipient with a lower or equal id is done."
    )
    fan_out_heartbeat = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if NAMED not in self.title:
            return self.title
        name = self.named.display_name if self.named is not None else str(FORMER_MEMBER)
        return self.title.replace(NAMED, name)

    @property
    def category_label(self) -> str:
        return str(BY_KEY[self.category].label)


class EmailStatus(models.TextChoices):
    """Where an email is: claimed before sending, so two workers never send it both.

    A claim is stamped with its time: one still "sending" a lease later was left by a
    worker that died, and `tasks.recover_emails` puts it back to pending.
    """

    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """What one member was told about one event.

    Written a million at a time, so it carries only the indexes its readers need
    (the unique (event, recipient) also serves lookups by event, the member's
    list index lookups by member, a partial index the digests) and no database
    foreign-key checks on event and recipient: they would cost a trigger per row
    at commit, and the rows are only ever written from existing members and an
    event locked by the fan-out. Deleting a member or an event still cascades (Django does it).

    A notification to be emailed straight away is its own email queue entry
    (`email` pending → sending → sent or failed): one row per member, not two. The
    emails being sent have a partial index of their own, so finding those a dead
    worker left behind reads a few rows, not the table; pending ones are not in it,
    so the fan-out's inserts do not pay for it.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        db_constraint=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(
        max_length=10,
        choices=DELIVERY_CHOICES,
        default="never",
        help_text="How the member gets it by email, fixed when it is written.",
    )
    muted = models.BooleanField(default=False)
    email = models.CharField(
        max_length=8,
        choices=EmailStatus.choices,
        blank=True,
        help_text="The email sent straight away for it, if any: where it is.",
    )
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took the email to send it."
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)
    digest = models.ForeignKey(
        "EmailDelivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(
                fields=["delivery", "recipient"],
                condition=models.Q(digest=None, delivery__in=["daily", "weekly"]),
                name="notification_undigested",
            ),
            models.Index(
                fields=["digest"],
                condition=models.Q(digest__isnull=False),
                name="notification_in_digest",
            ),
            models.Index(
                fields=["email_claimed_at"],
                condition=models.Q(email=EmailStatus.SENDING),
                name="notification_email_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.recipient_id}"


class EmailDelivery(models.Model):
    """One digest email to one member, gathering their daily or weekly notifications.

    The unique constraint makes queuing the same digest twice impossible; the
    status, claimed before sending, keeps two workers from sending it both.
    """

    Status = EmailStatus

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    digest_key = models.CharField(max_length=20, help_text="daily:2026-11-25 ...")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took the digest to send it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_key"], name="one_digest_per_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status=EmailStatus.SENDING),
                name="digest_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.digest_key} → {self.recipient_id} ({self.status})"


class Preference(models.Model):
    """A member's choice of email delivery for one category (absent: the default)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=20, choices=[(c.key, c.label) for c in CATEGORIES])
    delivery = models.CharField(max_length=10, choices=DELIVERY_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "category"], name="one_preference_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.category} → {self.delivery}"


class Mute(models.Model):
    """A thread (discussion, proposal ...) a member wants no email about."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mutes"
    )
    thread = models.CharField(max_length=120)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="one_mute_per_thread")
        ]
        indexes = [models.Index(fields=["thread", "member"])]

    def __str__(self) -> str:
        return f"{self.member_id} muted {self.thread}"


class Reminder(models.Model):
    """A reminder or an escalation that has gone out: one row per subject and step.

    The sweeps that send them (`remind_once`) insert the row before telling anyone, and the
    unique pair makes a second insert fail, so a sweep run twice, or on two workers at
    once, tells people once. It holds no one's name: the subject and step are codes
    (`members.membershipapplication:12`, `escalation`), the people told are on the event.
    """

    subject = models.CharField(max_length=120)
    step = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "step"], name="one_reminder_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.step}"
