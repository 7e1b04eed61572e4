"""The policy development process: proposals moving through the seed's eight steps.

A proposal carries its current stage, when it started and its deadline, so the
board, the timeline and the stall sweep read one row; every move is kept as a
`StageTransition` with the rulebook version it was taken under.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField

TITLE_MAX = 200
TEXT_MAX = 20_000
SHORT_TEXT_MAX = 5_000
PROMPTED_BY_MAX = 200
REASON_MAX = 2_000


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("gathering support")
    SCOPING = "scoping", _("scoping")
    CIRCULATION = "circulation", _("circulation")
    DRAFTING = "drafting", _("drafting")
    CONSULTATION = "consultation", _("wider consultation")
    APPROVAL = "approval", _("approval")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = (
    Stage.PROPOSED,
    Stage.SCOPING,
    Stage.CIRCULATION,
    Stage.DRAFTING,
    Stage.CONSULTATION,
    Stage.APPROVAL,
)
# Stages whose deadline the policy section must meet: past it, the step is stalled.
SECTION_STAGES = (
    Stage.SCOPING,
    Stage.CIRCULATION,
    Stage.DRAFTING,
    Stage.CONSULTATION,
    Stage.APPROVAL,
)


class Policy(models.Model):
    """A published policy of the organisation; its text lives in versions."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    section = models.ForeignKey(
        "organisation.Body", on_delete=models.PROTECT, related_name="policies"
    )
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.slug])


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")
    published_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_policy_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"


class Proposal(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("the case for it"))
    text_html = RenderedMarkdownField(source="text")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policy_proposals"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="policy_proposals",
        help_text=_("The author's unit when it was proposed."),
    )
    section = models.ForeignKey(
        "organisation.Body", on_delete=models.PROTECT, related_name="policy_proposals"
    )
    amends = models.ForeignKey(
        Policy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("amends policy"),
    )
    prompted_by = models.CharField(
        _("prompted by (outside group or campaign)"), max_length=PROMPTED_BY_MAX, blank=True
    )
    anonymous = models.BooleanField(
        default=False, help_text=_("Author hidden until launch (rulebook switch at creation).")
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.PROPOSED)
    stage_started_at = models.DateTimeField()
    stage_deadline = models.DateTimeField(null=True, blank=True)
    support_needed = models.PositiveIntegerField()
    support_count = models.PositiveIntegerField(default=0)
    scope_areas = models.TextField(_("areas to update"), blank=True)
    scope_areas_html = RenderedMarkdownField(source="scope_areas")
    stalled_since = models.DateTimeField(null=True, blank=True, db_index=True)
    stall_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    launched_at = models.DateTimeField(null=True, blank=True)
    rulebook_version = models.PositiveIntegerField()
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("policy proposal")
        ordering = ["-created_at", "-id"]
        # The board reads newest first with any filter: each index ends in the board's
        # order so a page is an index range, not a sort of every proposal.
        indexes = [
            models.Index(fields=["-created_at", "-id"]),
            models.Index(fields=["stage", "-created_at", "-id"]),
            models.Index(fields=["section", "-created_at", "-id"]),
            models.Index(fields=["section", "stage", "-created_at", "-id"]),
            models.Index(fields=["stage", "stage_deadline"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policy:proposal", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def author_hidden(self) -> bool:
        """Support goes to the content, not the person, until launch (rulebook switch)."""
        return self.anonymous and self.stage == Stage.PROPOSED


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_supports"
    )
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                condition=models.Q(withdrawn_at=None),
                name="one_active_support_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} supports {self.proposal_id}"


class StageTransition(models.Model):
    """One step of the timeline: who moved the proposal, when, under which rulebook."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    rulebook_version = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_stage} → {self.to_stage}"


class ScopeProposal(models.Model):
    """The section's suggestion of the areas to update, and the proposer's answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("waiting for the proposer")
        AGREED = "agreed", _("agreed")
        CHANGES = "changes", _("changes asked for")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scopes")
    areas = models.TextField(_("areas that need updating"))
    areas_html = RenderedMarkdownField(source="areas")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answer_text = models.TextField(_("what should change"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"scope for {self.proposal_id}"


class Circulation(models.Model):
    """The scoped proposal as sent to one other section or one basic unit in scope."""

    class Status(models.TextChoices):
        SILENT = "silent", _("no report yet")
        DISCUSSED = "discussed", _("discussed")
        NO_VIEW = "no_view", _("no view")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="circulations")
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        "organisation.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SILENT)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "body__name", "unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(body__isnull=True),
                name="circulation_to_unit_or_body",
            ),
            models.UniqueConstraint(fields=["proposal", "unit"], name="one_circulation_per_unit"),
            models.UniqueConstraint(fields=["proposal", "body"], name="one_circulation_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.recipient}"

    @property
    def recipient(self):
        return self.unit or self.body


class Contribution(models.Model):
    """What a unit or section sent back: members' views, its agreed summary, what outsiders said."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member's contribution")
        SUMMARY = "summary", _("agreed summary")
        OUTSIDE = "outside", _("outside consultation")

    circulation = models.ForeignKey(
        Circulation, on_delete=models.CASCADE, related_name="contributions"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")
    outside_who = models.CharField(_("who we talked to"), max_length=200, blank=True)
    outside_on = models.DateField(_("when"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DraftVersion(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    is_final = models.BooleanField(default=False)

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_draft_number")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} draft {self.number}"

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs.all())


class Paragraph(models.Model):
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    text = models.TextField()
    text_html = RenderedMarkdownField(source="text")
    citations = models.ManyToManyField(Contribution, blank=True, related_name="cited_in")

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"¶{self.position}"


class ExternalInvitation(models.Model):
    """Narrow, expiring access for an outside group to read and comment on one draft."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("group or person"), max_length=200)
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the invitee was emailed that the consultation closed before `expires_at`.
    closed_told_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        ExternalInvitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    external = models.BooleanField(default=False)
    text = models.TextField()
    text_html = RenderedMarkdownField(source="text")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on ¶{self.paragraph_id}"


class Amendment(models.Model):
    """A change to one paragraph of the final draft, put to a majority vote first."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        VOTING = "voting", _("being voted on")
        CARRIED = "carried", _("carried")
        LOST = "lost", _("lost")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="amendments")
    text = models.TextField(_("new text of the paragraph"))
    text_html = RenderedMarkdownField(source="text")
    reason = models.TextField(_("why"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PROPOSED)
    vote_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"amendment to ¶{self.paragraph_id}"


class Approval(models.Model):
    """The e-conference that approves the final draft, and its votes."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="approval")
    meeting_id = models.PositiveIntegerField(null=True, blank=True)
    opens_at = models.DateTimeField()
    amendments_close_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField()
    vote_id = models.PositiveIntegerField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    called_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"approval of {self.proposal_id}"


class EarlyEnd(models.Model):
    """A step ended before its deadline by an officer the rulebook names, and why.

    The reason is shown to everyone the early end cut off (members, and invited outside
    groups on their closed invitation page); the record keeps only its hash.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="early_ends")
    stage = models.CharField(_("step ended"), max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    deadline = models.DateTimeField(_("deadline it would have run to"))
    reason = models.TextField(_("why it ended early"))
    cut_off = models.JSONField(_("who it cut off"), default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.stage} of {self.proposal_id} ended early"
