"""A body's library: documents and media, their versions, and who downloaded them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField


class Document(models.Model):
    """A document, image, recording or video kept by a body; its content lives in versions.

    Documents are never deleted: an officer withdraws one with a reason and its
    history stays.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("document")
        IMAGE = "image", _("image")
        AUDIO = "audio", _("audio")
        VIDEO = "video", _("video")

    body = models.ForeignKey(
        "organisation.Body", on_delete=models.PROTECT, related_name="library_documents"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_html = RenderedMarkdownField(source="description")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"))
    updated_at = models.DateTimeField(_("last version"))
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_count = models.PositiveIntegerField(default=0)
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("library document")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["body", "withdrawn_at", "-updated_at"]),
            models.Index(fields=["-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class DocumentVersion(models.Model):
    """One uploaded file. Stored under a generated, unguessable name."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document version")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version"),
        ]
        indexes = [models.Index(fields=["uploaded_by"])]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @property
    def download_name(self) -> str:
        """The member's file name with the extension the content really has."""
        stem, dot, extension = self.original_name.rpartition(".")
        if not dot:
            stem = extension
        return f"{stem or 'file'}.{self.extension}"


class Download(models.Model):
    """A member downloaded a version: the body's officers can see who read what, and when."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="downloads")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    downloaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("download")
        indexes = [
            models.Index(fields=["document", "-downloaded_at"]),
            models.Index(fields=["member"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ↓ {self.version_id}"
