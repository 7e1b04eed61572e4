from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RulebookVersion(models.Model):
    """One version of the constitution's operational rules; immutable once in force."""

    class Status(models.TextChoices):
        STAGED = "staged", _("staged")
        IN_FORCE = "in_force", _("in force")
        SUPERSEDED = "superseded", _("superseded")
        ADOPTED = "adopted", _("adopted, awaiting its date")
        REJECTED = "rejected", _("rejected")

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    rules = models.JSONField(_("rules"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.STAGED
    )
    note = models.TextField(_("why this version"), blank=True)
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staged_at = models.DateTimeField(_("staged at"))
    in_force_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    # An amendment: the version in force it was drafted against, the vote it was put to
    # (an id, so the rulebook does not depend on voting's migrations), and the date it comes
    # into force if carried.
    based_on = models.PositiveIntegerField(_("drafted against version"), null=True, blank=True)
    vote_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    comes_into_force_at = models.DateTimeField(
        _("comes into force at, if adopted"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted by decision"),
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("rulebook version")

    def __str__(self) -> str:
        return f"Rulebook v{self.number}"
