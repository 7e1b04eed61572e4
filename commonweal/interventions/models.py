"""Struggles the organisation takes part in or watches, its interventions in them, and what
it learns from each: an assessment against the aims stated beforehand, and lessons."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField

TEXT_MAX = 20_000


def home_country() -> str:
    """Where a struggle is unless said otherwise (and what rows from before had)."""
    return settings.COMMONWEAL_HOME_COUNTRY


class Struggle(models.Model):
    """A strike, a local campaign, a national issue: where it is, since when, who is in it."""

    class Kind(models.TextChoices):
        STRIKE = "strike", _("strike")
        LOCAL_CAMPAIGN = "local_campaign", _("local campaign")
        NATIONAL_ISSUE = "national_issue", _("national issue")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        WON = "won", _("won")
        LOST = "lost", _("lost")
        ENDED = "ended", _("ended")

    class Involvement(models.TextChoices):
        TAKING_PART = "taking_part", _("we take part")
        WATCHING = "watching", _("we watch")

    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_html = RenderedMarkdownField(source="description")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="struggles",
        verbose_name=_("where"),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default=home_country,
        help_text=_("Two-letter country code, e.g. GB, DE, BR."),
    )
    since = models.DateField(_("since"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ONGOING
    )
    involvement = models.CharField(
        _("involvement"), max_length=12, choices=Involvement.choices, default=Involvement.WATCHING
    )
    units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="+", verbose_name=_("units involved")
    )
    # Sensitive: who took part in a struggle (docs/interventions.md).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members involved")
    )
    organisations = models.ManyToManyField(
        "alliances.OutsideOrganisation",
        blank=True,
        related_name="struggles",
        verbose_name=_("outside organisations involved"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("struggle")
        indexes = [
            models.Index(fields=["status", "-since"]),
            models.Index(fields=["country", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class StruggleEvent(models.Model):
    """One line of a struggle's timeline, with its source and any media from the library."""

    struggle = models.ForeignKey(Struggle, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField(_("when"))
    text = models.TextField(_("what happened"))
    text_html = RenderedMarkdownField(source="text")
    source = models.URLField(_("source"), max_length=500, blank=True)
    document = models.ForeignKey(
        "library.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from the library"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.text[:40]}"


class SpontaneousAction(models.Model):
    """A spontaneous action a member has seen; the unit's officers decide whether to follow it."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("waiting for the officers")
        FOLLOWED = "followed", _("followed")
        DECLINED = "declined", _("not followed")

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    what = models.TextField(_("what you saw"))
    what_html = RenderedMarkdownField(source="what")
    seen_on = models.DateField(_("seen on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    struggle = models.ForeignKey(
        Struggle, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return self.what[:60]


class Intervention(models.Model):
    """A planned piece of work in a struggle, with its aims stated beforehand."""

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("leaflet")
        PUBLIC_MEETING = "public_meeting", _("public meeting")
        SOLIDARITY_ACTION = "solidarity_action", _("solidarity action")
        ELECTION = "election", _("standing in an election as a platform")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", _("awaiting the body's decision")
        PLANNED = "planned", _("planned")
        UNDER_WAY = "under_way", _("under way")
        CARRIED_OUT = "carried_out", _("carried out, to be assessed")
        ASSESSED = "assessed", _("assessed")
        CANCELLED = "cancelled", _("cancelled")

    struggle = models.ForeignKey(Struggle, on_delete=models.PROTECT, related_name="interventions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.ForeignKey(
        "organisation.Body",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible body"),
    )
    # The responsible body's unit, kept here so a unit subtree is one prefix query.
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    aims = models.TextField(_("aims"))
    aims_html = RenderedMarkdownField(source="aims")
    assess_on = models.DateField(_("assess on"), db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    needs_decision = models.BooleanField(default=False)
    # The decision that authorised it: the officers' plan, or the body's carried motion.
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    motion_id = models.BigIntegerField(null=True, blank=True)
    organisations = models.ManyToManyField(
        "alliances.OutsideOrganisation",
        blank=True,
        related_name="interventions",
        verbose_name=_("partners in it"),
    )
    report = models.TextField(_("what happened"), blank=True)
    report_html = RenderedMarkdownField(source="report")
    reported_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=500, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField()

    class Meta:
        ordering = ["-planned_at", "-pk"]
        verbose_name = _("intervention")
        indexes = [models.Index(fields=["status", "assess_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"interventions.intervention:{self.pk}"


class Assessment(models.Model):
    """The responsible body's assessment of an intervention against its stated aims."""

    intervention = models.OneToOneField(
        Intervention, on_delete=models.CASCADE, related_name="assessment"
    )
    worked = models.TextField(_("what worked"))
    worked_html = RenderedMarkdownField(source="worked")
    failed = models.TextField(_("what failed"))
    failed_html = RenderedMarkdownField(source="failed")
    why = models.TextField(_("why"))
    why_html = RenderedMarkdownField(source="why")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.intervention_id}"


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lesson(models.Model):
    """What the organisation learnt from an intervention, searchable and taggable.

    Seen by whoever may see the intervention, or by every member once the body shares it.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="lessons")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("lesson"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    text_html = RenderedMarkdownField(source="text")
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons")
    shared = models.BooleanField(_("shared with the whole organisation"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lesson")

    def __str__(self) -> str:
        return self.title
