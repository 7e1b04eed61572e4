"""Members: people who belong to the organisation, and those applying to join."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.core import clock

FORMER_MEMBER = _("former member")


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "Member":
        if not email:
            raise ValueError("An email address is required.")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Member":
        fields.update(is_staff=True, is_superuser=True, status=Member.Status.MEMBER)
        return self.create_user(email, password, **fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """Anyone with an account: applicants, members, and (narrowly) external participants."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        MEMBER = "member", _("member")
        SUSPENDED = "suspended", _("suspended")
        LEFT = "left", _("left")
        ERASED = "erased", _("erased")
        EXTERNAL = "external", _("external participant")

    class Visibility(models.TextChoices):
        UNIT = "unit", _("members of my unit")
        BODIES = "bodies", _("members of my unit and my bodies")
        ORGANISATION = "organisation", _("all members")
        OFFICERS = "officers", _("officers only")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("basic unit"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLICANT, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    # The capacities register (members.register): what each member can bring, by kind.
    capacities = models.JSONField(_("capacities and talents"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    # Kinds of the above ("capacities", "skills", "interests") the member keeps for the
    # officers of their unit and above alone, whoever else may see their profile.
    tags_for_officers = models.JSONField(_("kept for officers only"), default=list, blank=True)
    visibility = models.CharField(
        _("who may see my profile"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.UNIT,
    )
    show_email = models.BooleanField(
        _("show my email address to those who may see my profile"), default=False
    )
    locale = models.CharField(_("language"), max_length=10, default="en")
    is_staff = models.BooleanField(_("administrator"), default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("member")
        # A unit's members by name, as its page and its members list download read them
        # (keyset chunks end with the key); counts by unit and status use its first half.
        indexes = [
            models.Index(
                fields=["unit", "status", "full_name", "id"], name="members_unit_status_name_idx"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        """A new password, however it was set (the site, the admin, a command), revokes
        every API token: whoever held the old password may have made one."""
        # AbstractBaseUser.set_password keeps the new raw password in _password until the
        # save; django-stubs does not declare it.
        password_changed = self._password is not None and self.pk is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(member=self, revoked_at=None).update(revoked_at=clock.now())

    @property
    def display_name(self) -> str:
        if self.status == self.Status.ERASED:
            return str(FORMER_MEMBER)
        return self.full_name or self.email

    @property
    def is_member(self) -> bool:
        return self.is_active and self.status == self.Status.MEMBER


class MembershipApplication(models.Model):
    """A request to join a basic unit, decided by that unit's officers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    applicant = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="applications")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="applications"
    )
    statement = models.TextField(_("why I want to join"), blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    applied_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.unit}"


class ApiToken(models.Model):
    """A personal API token; only its hash is kept.

    It may read, or read and write; it expires; changing the password, suspension,
    leaving and erasure revoke it.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    scope = models.CharField(_("may"), max_length=5, choices=Scope.choices)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ProfileView(models.Model):
    """Who looked at whose profile or data: membership is sensitive personal data."""

    viewer = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="views_of_me")
    what = models.CharField(max_length=40)
    viewed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["subject", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.what} of {self.subject_id}"


class MemberImport(models.Model):
    """An officer's upload of an existing members list, from preview to the finished import.

    The file itself is never stored: it is read in the request that uploads it. Its rows
    wait in `rows` until the import has run, is discarded, or is a day old (the clock's
    sweep), and are then emptied; what stays is counts, the file's sha256 and each bad
    row's number and problem, none of them personal data.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("waiting for your confirmation")
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        DISCARDED = "discarded", _("discarded")

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="member_imports"
    )
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    file_sha256 = models.CharField(max_length=64)
    header = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    # Which of the file's columns holds each field: {"email": 1, "full_name": 0, ...}.
    columns = models.JSONField(default=dict)
    # [[row number, field, problem code, other row number or null], ...]: no cell contents.
    problems = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    to_add = models.PositiveIntegerField(default=0)
    existing = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} into {self.unit_id}"


class Offer(models.Model):
    """A member offers themselves for a task; the officers of their unit (and above) answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="offers")
    # The unit whose officers answer: the member's unit when they offered.
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("what I offer to do"), max_length=200)
    text = models.TextField(_("more about it"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    offered_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("offer")
        ordering = ["-offered_at", "-id"]
        indexes = [models.Index(fields=["unit", "status", "-offered_at"])]

    def __str__(self) -> str:
        return self.title
