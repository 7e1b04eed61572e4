"""Meetings and e-conferences, their agendas, speakers, motions and minutes; and the
accountability of office-holders (reports and recall)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core import clock
from commonweal.core.markdown import RenderedMarkdownField


class Meeting(models.Model):
    """A meeting of a body, or an e-conference of all members in a scope (or their delegates)."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("in person and online")
        ECONFERENCE = "econference", _("e-conference")

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    body = models.ForeignKey("organisation.Body", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_html = RenderedMarkdownField(source="description")
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video conference link"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    scope = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="econferences",
        verbose_name=_("scope"),
        help_text=_("For an e-conference: every member in this unit and below takes part."),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PLANNED)
    is_public = models.BooleanField(_("announce on the public website"), default=False)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-opens_at"]
        indexes = [models.Index(fields=["closes_at", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_econference(self) -> bool:
        return self.kind == self.Kind.ECONFERENCE

    @property
    def phase(self) -> str:
        """Where the meeting stands now: the one answer every page and the API give.

        `state` holds only what the chair did; the clock adds the rest. A planned meeting is
        open within its hours, an e-conference ends at its closing time whether or not anyone
        pressed "close", and a planned meeting whose hours passed unopened is over.
        """
        if self.state == self.State.CLOSED:
            return self.State.CLOSED
        now = clock.now()
        if now >= self.closes_at and (self.is_econference or self.state == self.State.PLANNED):
            return self.State.CLOSED
        if self.state == self.State.OPEN or self.opens_at <= now:
            return self.State.OPEN
        return self.State.PLANNED

    def get_phase_display(self) -> str:
        return str(self.State(self.phase).label)


class Delegate(models.Model):
    """A member delegated to an e-conference; once a meeting has any, only they take part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_delegation_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.meeting_id}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        MOTION = "motion", _("motion")
        ELECTION = "election", _("election")
        REPORT = "report", _("report")
        POLICY_APPROVAL = "policy_approval", _("policy approval")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    text_html = RenderedMarkdownField(source="text")
    subject = models.CharField(_("subject"), max_length=120, blank=True)
    vote_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("agenda item")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="one_item_per_place")
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Who is present; for an e-conference, who signed in and registered as present."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    arrived_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_meeting")
        ]
        indexes = [models.Index(fields=["meeting", "left_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.meeting_id}"


class SpeakerRequest(models.Model):
    """A member's turn on an item's speakers' list, with the time they actually spoke."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SPEAKING = "speaking", _("speaking")
        DONE = "done", _("has spoken")
        WITHDRAWN = "withdrawn", _("withdrawn")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["item", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"],
                condition=models.Q(state__in=["waiting", "speaking"]),
                name="one_open_turn_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.item_id}"

    @property
    def seconds(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds())
        return None


class Motion(models.Model):
    """A motion tabled on an item, or an amendment to one (which replaces its text if carried)."""

    # An amendment's comparison with the motion's text: set by `selectors.motions_of`.
    comparison: dict[str, Any]

    class State(models.TextChoices):
        TABLED = "tabled", _("tabled")
        VOTING = "voting", _("being voted on")
        CARRIED = "carried", _("carried")
        LOST = "lost", _("lost")
        VOID = "void", _("without effect: the vote had no quorum")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="motions")
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="amendments"
    )
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")
    replaced_text = models.TextField(_("text before this amendment"), blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.TABLED)
    tabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tabled_at = models.DateTimeField()
    rulebook_version = models.PositiveIntegerField()
    vote_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["tabled_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None


class Nomination(models.Model):
    """A candidate in an election item; the vote's candidates are their labels."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="nominations")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(max_length=220)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField()

    class Meta:
        ordering = ["nominated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "candidate"], name="one_nomination_per_item"),
            models.UniqueConstraint(fields=["item", "label"], name="unique_label_per_item"),
        ]

    def __str__(self) -> str:
        return self.label


class Election(models.Model):
    """What an election item fills: how many seats of which office in which body."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="election")
    to_body = models.ForeignKey("organisation.Body", on_delete=models.PROTECT, related_name="+")
    office = models.CharField(_("office"), max_length=120)
    seats = models.PositiveIntegerField(_("seats"))
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.office} ×{self.seats}"


class Minutes(models.Model):
    """A meeting's minutes: written by the secretary, approved, then sent."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SENT = "sent", _("approved and sent")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"))
    text_html = RenderedMarkdownField(source="text")
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"Minutes of {self.meeting_id}"


class AccountabilityReport(models.Model):
    """An office-holder's report to the members on what they did with their mandate."""

    mandate = models.ForeignKey(
        "organisation.Mandate", on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField(_("report"))
    filed_at = models.DateTimeField()
    rulebook_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["mandate", "-filed_at"])]

    def __str__(self) -> str:
        return f"Report on {self.mandate_id}"


class Recall(models.Model):
    """A motion to recall an office-holder: gathers support, then goes to the vote."""

    class State(models.TextChoices):
        GATHERING = "gathering", _("gathering support")
        VOTING = "voting", _("being voted on")
        CARRIED = "carried", _("carried: mandate ended")
        LOST = "lost", _("lost")
        VOID = "void", _("without effect: the vote had no quorum")

    mandate = models.ForeignKey(
        "organisation.Mandate", on_delete=models.PROTECT, related_name="recalls"
    )
    reason = models.TextField(_("why"))
    reason_html = RenderedMarkdownField(source="reason")
    state = models.CharField(max_length=10, choices=State.choices, default=State.GATHERING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    support_needed = models.PositiveIntegerField()
    support_count = models.PositiveIntegerField(default=0)
    rulebook_version = models.PositiveIntegerField()
    vote_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate"],
                condition=models.Q(state__in=["gathering", "voting"]),
                name="one_open_recall_per_mandate",
            )
        ]

    def __str__(self) -> str:
        return f"Recall of {self.mandate_id}"


class RecallSupport(models.Model):
    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recall", "member"], name="one_support_per_recall")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} supports {self.recall_id}"
