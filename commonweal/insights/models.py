"""Participation counted per unit and per body, per calendar month: counts, never people.

A row is a bucket (one unit or body, one month). Each figure counts distinct members, so a
unit's rows summed over its subtree give the subtree's figures (every member belongs to one
basic unit). The rows are kept by `aggregates.py`: a change marks its bucket stale
(`StaleBucket`), the task worker recomputes only the stale buckets, and
`manage.py insights_rebuild` recomputes everything from the raw data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Participation(models.Model):
    """The figures both kinds of bucket hold; see docs/insights.md for what each counts."""

    month = models.DateField(_("month"))
    members = models.PositiveIntegerField(_("members in good standing at the month's end"))
    joined = models.PositiveIntegerField(_("joined"), default=0)
    left = models.PositiveIntegerField(_("left"), default=0)
    supported = models.PositiveIntegerField(_("supported a proposal"), default=0)
    contributed = models.PositiveIntegerField(_("contributed"), default=0)
    voted = models.PositiveIntegerField(_("voted"), default=0)
    attended = models.PositiveIntegerField(_("attended a meeting"), default=0)
    trained = models.PositiveIntegerField(_("took a course"), default=0)
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class UnitMonth(Participation):
    """One unit's own members (not its subtree's) in one month."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="insights_one_unit_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class BodyMonth(Participation):
    """One body's members in one month, and what they did in its business."""

    body = models.ForeignKey("organisation.Body", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "month"], name="insights_one_body_month"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.month:%Y-%m}"


class StaleBucket(models.Model):
    """A (unit or body, month) bucket something changed in since it was last counted."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("unit")
        BODY = "body", _("body")

    kind = models.CharField(max_length=4, choices=Kind.choices)
    key = models.BigIntegerField()
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "month"], name="insights_stale_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.month:%Y-%m}"
