"""Texts of the public website that officers edit, with their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField


class SiteText(models.Model):
    """The current text of one public page (about, join), keyed by a fixed slug."""

    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    body_html = RenderedMarkdownField(source="body")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("website text")

    def __str__(self) -> str:
        return self.title


class SiteTextRevision(models.Model):
    """Every saved version of a text, so any edit can be seen and undone by hand."""

    site_text = models.ForeignKey(SiteText, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site_text.slug} at {self.edited_at:%Y-%m-%d %H:%M}"
