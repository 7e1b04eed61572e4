"""Development plans and mentoring."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A member's development plan: what they want to grow into, as goals and dated steps.

    Seen by the member, their mentor (and, when the member mentors someone, that mentee),
    and the officers of their unit and above only if the member shares it with them.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_plan"
    )
    aims = models.TextField(_("what I want to develop"), blank=True)
    share_with_officers = models.BooleanField(
        _("let the officers of my unit and above see my plan"), default=False
    )
    created_at = models.DateTimeField()
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    # The next review, by the rulebook's development.plan_review_days from the last one.
    review_due_on = models.DateField(_("next review due"), db_index=True)
    # The due date the platform's clock has reminded the member and mentor of (once each).
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("development plan")

    def __str__(self) -> str:
        return f"plan {self.pk}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=200)
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Mentoring(models.Model):
    """A member asks for a mentor; an officer names one or a member offers; the mentor
    accepts. While active, mentor and mentee see each other's plan."""

    class Status(models.TextChoices):
        ASKED = "asked", _("looking for a mentor")
        PROPOSED = "proposed", _("waiting for the mentor to accept")
        ACTIVE = "active", _("mentoring")
        ENDED = "ended", _("ended")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorings_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentorings_as_mentor",
    )
    note = models.TextField(_("what I hope a mentor helps me with"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=~models.Q(status="ended"),
                name="one_open_mentoring_per_mentee",
            )
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"mentoring {self.pk}"
