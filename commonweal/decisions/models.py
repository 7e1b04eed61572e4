"""The decision register: every outcome a body reaches, binding on all."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    class Kind(models.TextChoices):
        MOTION = "motion", _("motion carried")
        POLICY = "policy", _("policy approved")
        ELECTION = "election", _("election result")
        RULEBOOK = "rulebook", _("rulebook change")
        MEMBERSHIP = "membership", _("membership")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    body = models.ForeignKey(
        "organisation.Body", on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(_("decided at"), db_index=True)
    rulebook_version = models.PositiveIntegerField(_("rulebook version"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")

    def __str__(self) -> str:
        return self.title
