"""Units (the membership tree) and bodies (the collective organs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Unit(MP_Node):
    """A unit of membership: national, region, branch ... at any depth.

    A materialised path makes "this unit and everything under it" one indexed
    prefix query, which every scope check and fan-out relies on.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national")
        REGION = "region", _("region")
        BRANCH = "branch", _("branch")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # A closed unit stays in the tree as history: its members moved on, its bodies closed.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # No node_order_by: new units are appended, so existing paths never move under
    # objects (or caches) that hold them.
    steplen = 5

    class Meta:
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name

    @property
    def is_basic(self) -> bool:
        """A basic unit (branch) is one members belong to directly."""
        return self.kind == self.Kind.BRANCH


class Body(models.Model):
    """A collective organ whose scope is a unit and its subtree."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("elected leadership")
        DEPARTMENT = "department", _("department")
        POLICY_SECTION = "policy_section", _("policy section")
        ASSEMBLY = "assembly", _("unit assembly")
        CONFERENCE = "conference", _("conference")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("scope")
    )
    subject = models.CharField(
        _("subject"),
        max_length=120,
        blank=True,
        help_text=_("For a policy section: transport, health ..."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(kind="assembly"), name="one_assembly_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    # A chair or secretary by mandate holds the role for the mandate's term only: outside
    # these dates the role confers nothing, whether or not the clock's sweep has run.
    role_from = models.DateField(_("role held from"), null=True, blank=True)
    role_until = models.DateField(_("role held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("body membership")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "member"],
                condition=models.Q(until=None),
                name="one_active_membership_per_body",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "until"]),
            # A body's page counts and pages its current members by role from this index
            # alone, however many thousands an assembly holds.
            models.Index(
                fields=["body", "role", "member"],
                condition=models.Q(until=None),
                name="current_members_by_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.body} ({self.role})"


class Mandate(models.Model):
    """An office held in a body for a term, granted by a decision."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates"
    )
    office = models.CharField(_("office"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    ended_reason = models.CharField(_("why it ended early"), max_length=300, blank=True)
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("granted by decision"),
    )
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)

    class GrantedAs(models.TextChoices):
        ELECTION = "election", _("by election or decision")
        CO_OPTION = "co_option", _("co-opted")
        INTERIM = "interim", _("interim appointment")

    granted_as = models.CharField(
        _("granted as"), max_length=12, choices=GrantedAs.choices, default=GrantedAs.ELECTION
    )
    # Why an office was filled outside an election; the record holds only its hash.
    grant_reason = models.CharField(_("why it was granted"), max_length=300, blank=True)
    # Set by the platform's clock (organisation.services.mandates_sweep), so each holder and
    # body is told once that the term is ending, and once that it has ended.
    expiry_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    lapsed_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mandate")
        ordering = ["body", "office", "-starts_on"]
        indexes = [models.Index(fields=["holder", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.office}, {self.body}: {self.holder}"


class Referral(models.Model):
    """An item one body refers to another, up, down or sideways."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        DECLINED = "declined", _("declined")

    from_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="referrals_sent")
    to_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="referrals_received")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("response"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def direction(self) -> str:
        """up, down or sideways, from the units' places in the tree."""
        a, b = self.from_body.unit, self.to_body.unit
        if a.path == b.path:
            return "sideways"
        if a.path.startswith(b.path):
            return "up"
        if b.path.startswith(a.path):
            return "down"
        return "sideways"
