"""Debates, temperature checks, opinion maps, tendencies and the profile behind equal voice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField


class Space(models.Model):
    """Where something is discussed: a body, a unit subtree, or (neither) the organisation."""

    space_body = models.ForeignKey(
        "organisation.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("body"),
    )
    space_unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        abstract = True

    @property
    def space_name(self) -> str:
        if self.space_body is not None:
            return self.space_body.name
        if self.space_unit is not None:
            return self.space_unit.name
        return str(_("the whole organisation"))


class Debate(Space):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("background"), blank=True)
    description_html = RenderedMarkdownField(source="description")
    subject = models.CharField(
        _("about"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("The proposal, draft or decision this debate is attached to."),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(db_index=True)
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("debate")

    def __str__(self) -> str:
        return self.question


class Stance(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    NEITHER = "neither", _("neither")


class Contribution(models.Model):
    """An argument for or against (or neither), or a reply to one; never deleted."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="contributions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")
    posted_at = models.DateTimeField()
    edited_at = models.DateTimeField(
        null=True, blank=True, help_text="Set only by edits after the quiet window."
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        ordering = ["posted_at", "pk"]
        indexes = [
            models.Index(fields=["debate", "parent", "posted_at"]),
            models.Index(fields=["debate", "author"]),
        ]

    def __str__(self) -> str:
        return f"{self.debate_id}/{self.pk} ({self.stance})"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ContributionVersion(models.Model):
    """The text as it stood before a visible (late) edit."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="versions"
    )
    stance = models.CharField(max_length=8, choices=Stance.choices)
    text = models.TextField()
    text_html = RenderedMarkdownField(source="text")
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contribution_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Appeal(models.Model):
    """An author asks the body above to restore a hidden contribution."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        UPHELD = "upheld", _("upheld: restored")
        REJECTED = "rejected", _("rejected: stays hidden")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="appeals")
    to_body = models.ForeignKey("organisation.Body", on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(_("grounds"))
    lodged_at = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-lodged_at", "-pk"]

    def __str__(self) -> str:
        return f"appeal {self.pk} on {self.contribution_id}"


class TemperatureCheck(Space):
    """A quick poll on a statement, to sense a body's view before a formal motion."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    statement = models.CharField(_("statement"), max_length=300)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.statement


class CheckResponse(models.Model):
    class Choice(models.TextChoices):
        AGREE = "agree", _("agree")
        ABSTAIN = "abstain", _("abstain")
        DISAGREE = "disagree", _("disagree")
        BLOCK = "block", _("block")

    check_poll = models.ForeignKey(
        TemperatureCheck, on_delete=models.CASCADE, related_name="responses"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    responded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_poll", "member"], name="one_response_per_check")
        ]

    def __str__(self) -> str:
        return f"{self.check_poll_id}: {self.choice}"


class OpinionMap(models.Model):
    """Statements collected in a debate, voted on, and the precomputed picture of the groups.

    Only aggregate figures are stored: `results` holds per-group shares, and
    `model` the projection and centroids that let a member's own votes be placed
    in a group when they look; no member-to-group link is ever written.
    """

    debate = models.OneToOneField(Debate, on_delete=models.CASCADE, related_name="opinion_map")
    is_open = models.BooleanField(default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    recompute_pending = models.BooleanField(default=False)
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_from = models.DateTimeField(
        null=True, blank=True, help_text="When the computation behind `results` started."
    )
    results = models.JSONField(default=dict, blank=True)
    model = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"map of {self.debate_id}"


class Statement(models.Model):
    MAX_LENGTH = 140

    opinion_map = models.ForeignKey(OpinionMap, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    pass_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class StatementVote(models.Model):
    """One member's current vote on a statement; voting again replaces it."""

    AGREE, PASS, DISAGREE = 1, 0, -1
    CHOICES = {"agree": AGREE, "pass": PASS, "disagree": DISAGREE}

    opinion_map = models.ForeignKey(OpinionMap, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.SmallIntegerField()
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "member"], name="one_vote_per_statement")
        ]
        indexes = [models.Index(fields=["opinion_map", "member"])]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.choice}"


class Tendency(models.Model):
    """A current of opinion members form and join openly."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    platform = models.TextField(_("platform"))
    platform_html = RenderedMarkdownField(source="platform")
    founded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    founded_at = models.DateTimeField()
    member_count = models.PositiveIntegerField(default=0)
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("tendencies")

    def __str__(self) -> str:
        return self.name


class TendencyMembership(models.Model):
    tendency = models.ForeignKey(Tendency, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tendency_memberships"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tendency", "member"],
                condition=models.Q(left_at=None),
                name="one_active_tendency_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.tendency_id}"


class TendencyPosition(models.Model):
    """A tendency's position on a debate, draft or e-conference, shown beside the majority's."""

    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="positions")
    subject = models.CharField(max_length=120, db_index=True)
    text = models.TextField(_("position"))
    text_html = RenderedMarkdownField(source="text")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.tendency} on {self.subject}"


class DiscussionProfile(models.Model):
    """Self-described attributes a member chooses to share, used only in aggregates."""

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", _("under 25")
        FROM_25 = "25_39", _("25 to 39")
        FROM_40 = "40_59", _("40 to 59")
        FROM_60 = "60_plus", _("60 or over")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_profile"
    )
    consent = models.BooleanField(
        _("count my self-description in anonymous figures about who takes part"), default=False
    )
    gender = models.CharField(_("gender, in your own words"), max_length=60, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    occupation_group = models.CharField(_("kind of work"), max_length=60, blank=True)
    region = models.CharField(_("where you live"), max_length=60, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"profile of {self.member_id}"
