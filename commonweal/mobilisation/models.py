"""Action pages the public can answer (petitions, events, pledges, solidarity appeals), the
people who answer them, and what each of them agreed to be contacted about.

What a database copy reveals is in docs/mobilisation.md: signers' names, emails, postcodes
and phones until the action's retention period ends, then only the counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField

TITLE_MAX = 200
TEXT_MAX = 20_000


class ActionPage(models.Model):
    """One action the organisation asks people to take, with its public page at /act/<slug>/.

    `confirmed_count` is the number of confirmed sign-ups, moved by one conditional UPDATE
    per confirmation (never read-modify-write), so it is exact under concurrency; the
    selectors can recount it from the rows (`signups.filter(confirmed_at__isnull=False)`).
    """

    class Kind(models.TextChoices):
        PETITION = "petition", _("petition")
        EVENT = "event", _("event")
        DEMONSTRATION = "demonstration", _("demonstration")
        PLEDGE = "pledge", _("pledge")
        APPEAL = "appeal", _("solidarity appeal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_html = RenderedMarkdownField(source="text")
    # The unit whose scope the action is in (who organises it, and whose officers keep it).
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    # A body the rulebook names (`mobilisation.organised_by`) organising it, if any.
    body = models.ForeignKey(
        "organisation.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organised by"),
    )
    # Petition: who it is addressed to. Pledge: what would trigger it ("if ...").
    target = models.CharField(_("addressed to"), max_length=TITLE_MAX, blank=True)
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    # Events and demonstrations.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    struggle = models.ForeignKey(
        "interventions.Struggle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("struggle"),
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("intervention"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once the retention period ran out and the signers' personal data was emptied.
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("action")

    def __str__(self) -> str:
        return self.title

    def get_public_url(self) -> str:
        return reverse("act:action", args=[self.slug])

    @property
    def is_event(self) -> bool:
        return self.kind in (self.Kind.EVENT, self.Kind.DEMONSTRATION)


class Shift(models.Model):
    """A role at an event (steward, leafleter ...) that a number of people can take."""

    action = models.ForeignKey(ActionPage, on_delete=models.CASCADE, related_name="shifts")
    role = models.CharField(_("role"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("people needed"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("shift")

    def __str__(self) -> str:
        return self.role


class Signup(models.Model):
    """One person's answer to one action: counted once it is confirmed.

    A link in every email carries a signed token built from `id` and `token_key`; changing
    `token_key` makes every earlier link stop working. Erasure and retention empty the
    personal fields and keep the row (confirmed_at, unit, shift) so the numbers stand.
    """

    action = models.ForeignKey(ActionPage, on_delete=models.PROTECT, related_name="signups")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    place = models.CharField(_("town or place"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit the signer was matched to by postcode or place (or a member's own unit).
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shift = models.ForeignKey(
        Shift, null=True, blank=True, on_delete=models.PROTECT, related_name="signups"
    )
    token_key = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Taken at the event by an organiser (attendance).
    attended_at = models.DateTimeField(null=True, blank=True)
    invited_to_join_at = models.DateTimeField(null=True, blank=True)
    # The personal fields were emptied (erasure on request, or the retention period ended).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sign-up")
        constraints = [
            # One signature per email per action, whatever the concurrency.
            models.UniqueConstraint(
                fields=["action", "email"],
                condition=~Q(email=""),
                name="mobilisation_signup_once_per_email",
            )
        ]
        indexes = [
            models.Index(fields=["action", "confirmed_at"], name="mobilisation_signup_conf_idx"),
            models.Index(fields=["email"], name="mobilisation_signup_email_idx"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(erased)"))


class Consent(models.Model):
    """What a signer agreed to be contacted about, with the exact words they were shown."""

    class Purpose(models.TextChoices):
        ACTION = "action", _("this action only")
        CAMPAIGN = "campaign", _("keep me informed about this campaign")
        BRANCH = "branch", _("contact from my local branch")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    wording = models.TextField()
    version = models.PositiveSmallIntegerField()
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "purpose"], name="mobilisation_consent_once_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"


class UnitPlace(models.Model):
    """A postcode area or a place name that belongs to a unit, kept by its officers, so a
    signer who gives it is matched to the local branch (units carry no postcodes)."""

    class Kind(models.TextChoices):
        POSTCODE = "postcode", _("postcode area")
        PLACE = "place", _("town or place")

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Normalised: a postcode area upper-case without spaces ("LS6", "LS"), a place lower-case.
    value = models.CharField(_("postcode area or place"), max_length=120)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("unit's place")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="mobilisation_place_once")
        ]

    def __str__(self) -> str:
        return self.value
