"""News from officers, notices on unit boards, and members' private calendar feeds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField


class NewsItem(models.Model):
    """News for the members of a unit's subtree (or of one body), optionally public."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    body_html = RenderedMarkdownField(source="body")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="news",
        verbose_name=_("for the members of"),
    )
    body_scope = models.ForeignKey(
        "organisation.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news",
        verbose_name=_("for the members of the body"),
    )
    is_public = models.BooleanField(_("also publish on the public website"), default=False)
    image_url = models.CharField(
        _("image link"), max_length=300, blank=True, help_text=_("An image in the library.")
    )
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="news_items"
    )
    published_at = models.DateTimeField(_("published at"))
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("news item")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-published_at"]),
            models.Index(fields=["is_public", "-published_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("news:detail", args=[self.pk])


class Notice(models.Model):
    """A member's notice on a unit's general board, until it expires or is taken down."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    expires_on = models.DateField(_("show until"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="notices"
    )
    posted_at = models.DateTimeField()
    taken_down_at = models.DateTimeField(null=True, blank=True)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    takedown_reason = models.CharField(_("reason for taking it down"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("notice")
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["unit", "taken_down_at", "expires_on"])]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A member's private calendar address, kept as the hash of its secret (like an API
    token's): a copy of the database does not open anyone's calendar. The address is shown
    once, when made; replacing it revokes the old one."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"calendar of {self.member_id}"
