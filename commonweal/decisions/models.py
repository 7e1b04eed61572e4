"""The decision register: every outcome a body reaches, binding on all."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField

MINORITY_POSITION_MAX = 20_000
# A decision entered by hand (one taken through the platform is as long as its motion).
DECISION_TEXT_MAX = 50_000


class Decision(models.Model):
    class Kind(models.TextChoices):
        MOTION = "motion", _("motion carried")
        POLICY = "policy", _("policy approved")
        ELECTION = "election", _("election result")
        RULEBOOK = "rulebook", _("rulebook change")
        MEMBERSHIP = "membership", _("membership")
        # A body's officers planning a piece of work in a struggle the rulebook lets them
        # decide themselves (interventions app); one it does not goes to a vote as a motion.
        INTERVENTION = "intervention", _("intervention planned")

    class Basis(models.TextChoices):
        """How a body took a decision outside the platform's votes (entered by an officer)."""

        MEETING = "meeting", _("at a meeting held outside the platform")
        UNANIMOUS = "unanimous", _("by the unanimous consent of its members")
        WRITTEN = "written", _("by written resolution")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    text_html = RenderedMarkdownField(source="text")
    body = models.ForeignKey(
        "organisation.Body", on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(_("decided at"), db_index=True)
    rulebook_version = models.PositiveIntegerField(_("rulebook version"))
    vote = models.ForeignKey(
        "voting.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    meeting_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=120, blank=True, db_index=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A review date (as Loomio's outcomes): on it the body records what came of the decision.
    review_on = models.DateField(_("review on"), null=True, blank=True, db_index=True)
    review_outcome = models.TextField(_("what came of it"), blank=True)
    review_outcome_html = RenderedMarkdownField(source="review_outcome")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day the body's officers were reminded of the review (once per review date).
    review_reminded_on = models.DateField(null=True, blank=True)
    # A decision taken outside the platform: how, and the day (its `decided_at` is that day,
    # at noon, or the moment it was entered if taken today). Blank for the platform's own.
    basis = models.CharField(_("taken"), max_length=12, choices=Basis.choices, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("decision")
        indexes = [
            models.Index(fields=["body", "-decided_at"]),
            models.Index(fields=["-decided_at", "-id"]),
        ]

    def __str__(self) -> str:
        return self.title


class MinorityPosition(models.Model):
    """A position that lost, published beside the decision with the same prominence."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="minority_positions"
    )
    text = models.TextField(_("minority position"))
    text_html = RenderedMarkdownField(source="text")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="minority_positions"
    )
    on_behalf_of = models.CharField(_("on behalf of (a tendency)"), max_length=200, blank=True)
    # The tendency spoken for (an id: decisions does not depend on the discussion app).
    tendency_id = models.BigIntegerField(null=True, blank=True)
    attached_at = models.DateTimeField()
    # None while it waits for an officer of the deciding body (rulebook
    # minority_positions.review); shown to everyone only once published.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["attached_at", "pk"]
        verbose_name = _("minority position")

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.on_behalf_of or self.author_id}"


class Action(models.Model):
    """Something a decision binds a member or a body to do by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        BLOCKED = "blocked", _("blocked")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    owner_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_actions",
    )
    owner_body = models.ForeignKey(
        "organisation.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_actions",
    )
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    percent = models.PositiveSmallIntegerField(_("per cent done"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()
    overdue_flagged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_member__isnull=False) | models.Q(owner_body__isnull=False),
                name="action_has_an_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.DONE and self.due_on < today


class ActionReport(models.Model):
    """A progress report on an action by its owner."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("per cent done"))
    status = models.CharField(_("status"), max_length=12, choices=Action.Status.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.percent}%"
