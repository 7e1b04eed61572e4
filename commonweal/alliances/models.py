"""Outside organisations, our relationships with them, their contact people, and what we
did together (contacts, joint actions, joint statements)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField

NAME_MAX = 200
TEXT_MAX = 20_000


class OutsideOrganisation(models.Model):
    """A campaign group, union, movement or party, at home or abroad: its public facts.

    `unit` is the scope that keeps the record: its officers (and those above) edit it.
    """

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("campaign group")
        UNION = "union", _("trade union")
        MOVEMENT = "movement", _("movement")
        PARTY = "party", _("party")
        OTHER = "other", _("other organisation")

    name = models.CharField(_("name"), max_length=NAME_MAX)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter country code, e.g. GB, DE, BR.")
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("The language they publish in, as a code such as en, de, pt-BR."),
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("who they are"), blank=True)
    description_html = RenderedMarkdownField(source="description")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="outside_organisations",
        verbose_name=_("kept by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("outside organisation")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="alliances_one_organisation_per_name")
        ]
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.pk])

    @property
    def abroad(self) -> bool:
        return self.country != settings.COMMONWEAL_HOME_COUNTRY


class Relationship(models.Model):
    """One unit's relationship with an outside organisation, held by named members."""

    class Status(models.TextChoices):
        CONTACT = "contact", _("contact")
        COOPERATION = "cooperation", _("cooperation")
        ALLIANCE = "alliance", _("formal alliance")
        ENDED = "ended", _("ended")

    organisation = models.ForeignKey(
        OutsideOrganisation, on_delete=models.CASCADE, related_name="relationships"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="outside_relationships"
    )
    status = models.CharField(_("relationship"), max_length=12, choices=Status.choices)
    since = models.DateField(_("since"))
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="outside_relationships_held"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("relationship")
        ordering = ["organisation__name", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit"], name="alliances_one_relationship_per_unit"
            )
        ]
        indexes = [models.Index(fields=["status", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.organisation_id]) + f"#rel-{self.pk}"


class StatusChange(models.Model):
    """The relationship's history: each status it has had, from when, and why."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=12, choices=Relationship.Status.choices)
    note = models.CharField(_("why"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.relationship}: {self.status}"


class ContactPerson(models.Model):
    """Someone in the outside organisation we may contact, with the consent they gave.

    Only the relationship's holders and the officers of its unit (and above) see the email
    and phone. Erased on request: the personal fields are emptied, the row keeps the dates.
    """

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="contact_people"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    role = models.CharField(_("role in their organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_to = models.CharField(
        _("what they consented to"),
        max_length=500,
        help_text=_("E.g. 'to be emailed about joint campaigns on buses'."),
    )
    consent_on = models.DateField(_("date of consent"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or str(_("(erased)"))


class Activity(models.Model):
    """A contact with the organisation or an action taken together, on a day."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        JOINT_ACTION = "joint_action", _("joint action")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("when"))
    summary = models.TextField(_("what happened"))
    summary_html = RenderedMarkdownField(source="summary")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("contact or joint action")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class JointStatement(models.Model):
    """A statement with an allied organisation: drafted, agreed by a body, then published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed")
        PUBLISHED = "published", _("published")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="statements"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The motion it was put to the competent body as (meetings.Motion), when the rulebook
    # wants the body's vote.
    motion_id = models.BigIntegerField(null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    agreed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("joint statement")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        first = self.texts.first()
        return first.title if first else f"joint statement #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("alliances:statement", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("solidarity:statement", args=[self.pk])


class StatementText(models.Model):
    """The statement in one language; published with its `lang` attribute."""

    statement = models.ForeignKey(JointStatement, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title"), max_length=NAME_MAX)
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")

    class Meta:
        ordering = ["statement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="alliances_one_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class PolicyLink(models.Model):
    """Where an outside organisation took part in the policy process: it prompted a
    proposal, was consulted by a unit, or was invited to comment on a draft. The policy
    app keeps its own free text; this links it to the record kept here."""

    organisation = models.ForeignKey(
        OutsideOrganisation, on_delete=models.CASCADE, related_name="policy_links"
    )
    proposal = models.ForeignKey(
        "policy.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    contribution = models.ForeignKey(
        "policy.Contribution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invitation = models.ForeignKey(
        "policy.ExternalInvitation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(proposal__isnull=False, contribution=None, invitation=None)
                    | models.Q(proposal=None, contribution__isnull=False, invitation=None)
                    | models.Q(proposal=None, contribution=None, invitation__isnull=False)
                ),
                name="alliances_link_names_one_thing",
            ),
            models.UniqueConstraint(
                fields=["organisation", "proposal"], name="alliances_one_proposal_link"
            ),
            models.UniqueConstraint(
                fields=["organisation", "contribution"], name="alliances_one_contribution_link"
            ),
            models.UniqueConstraint(
                fields=["organisation", "invitation"], name="alliances_one_invitation_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in policy"
