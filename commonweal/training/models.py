"""Courses and reading groups, their versions and modules, and the members learning them.

A course's modules belong to a version. Authors edit a draft; publishing it makes it the
version new learners take, and nothing a learner did on an earlier version is rewritten:
an enrolment keeps the version it started on (and a completion names the version
completed) until the learner moves on explicitly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import RenderedMarkdownField


class Course(models.Model):
    """A course, or a reading group working through a text chapter by chapter."""

    class Kind(models.TextChoices):
        COURSE = "course", _("course")
        READING_GROUP = "reading_group", _("reading group")

    class Completion(models.TextChoices):
        MODULES = "modules", _("every module taken")
        CHECKS = "checks", _("every module taken and every check passed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COURSE)
    summary = models.TextField(_("what it is about"), blank=True)
    summary_html = RenderedMarkdownField(source="summary")
    body = models.ForeignKey(
        "organisation.Body",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("written by"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("open to members of"),
    )
    self_paced = models.BooleanField(
        _("members may take it on their own"),
        default=True,
        help_text=_("Otherwise members join it through a cohort with a tutor."),
    )
    completion = models.CharField(
        _("completed when"), max_length=10, choices=Completion.choices, default=Completion.MODULES
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark of a check (%)"), default=60, help_text=_("Between 0 and 100.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    current_version = models.ForeignKey(
        "CourseVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        ordering = ["title"]
        indexes = [models.Index(fields=["unit", "withdrawn_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.current_version_id is not None and self.withdrawn_at is None


class CourseVersion(models.Model):
    """One state of a course's modules. Only the draft is edited; published ones stay."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("course version")
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="training_version_number"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="draft"), name="training_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} v{self.number}"


class Module(models.Model):
    """A step of a course: a text, what to read, questions to discuss, and optionally a
    reflection to write and a short scored check."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    text_html = RenderedMarkdownField(source="text")
    reading = models.TextField(_("reading list"), blank=True)
    reading_html = RenderedMarkdownField(source="reading")
    questions = models.TextField(_("questions for discussion"), blank=True)
    questions_html = RenderedMarkdownField(source="questions")
    reflection_prompt = models.CharField(
        _("reflection question"),
        max_length=500,
        blank=True,
        help_text=_("Learners answer in their own words; only they and their tutor read it."),
    )
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="+", verbose_name=_("from the library")
    )
    # The module of the version before this one it was copied from: progress moves along it.
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("module")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="training_module_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CheckQuestion(models.Model):
    """One multiple-choice question of a module's check."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="check_questions")
    position = models.PositiveIntegerField()
    prompt = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)
    correct = models.PositiveSmallIntegerField(_("the right choice"))

    class Meta:
        verbose_name = _("check question")
        ordering = ["module", "position"]

    def __str__(self) -> str:
        return self.prompt


class ModuleCase(models.Model):
    """Case material from the organisation's own experience attached to a module: a lesson
    kept by a higher app, named by the kind it registered (training.cases) and its id."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="cases")
    kind = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case material")
        ordering = ["module", "attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "kind", "object_id"], name="training_case_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class Cohort(models.Model):
    """Members taking a course together, with a tutor and scheduled sessions."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cohorts_tutored",
        verbose_name=_("tutor"),
    )
    starts_on = models.DateField(_("starts on"))
    places = models.PositiveIntegerField(_("places"), default=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["tutor", "closed_at"])]

    def __str__(self) -> str:
        return self.name


class CohortSession(models.Model):
    """A scheduled session of a cohort; it appears in its members' calendar feeds."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("where"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cohort session")
        ordering = ["cohort", "starts_at"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A member taking a course, on one version, alone or in a cohort.

    Modules are taken in order, so `modules_done` says how far the learner has come: the
    module at position `modules_done + 1` is the one reached. A member has at most one
    enrolment in progress per course; a completed one stays (a leader may take the course
    again for retraining, which is a new enrolment).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("in progress")
        COMPLETED = "completed", _("completed")
        LEFT = "left", _("left")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField()
    modules_done = models.PositiveIntegerField(default=0)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_version = models.ForeignKey(
        CourseVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "member"],
                condition=Q(status="active"),
                name="training_one_active_enrolment",
            ),
        ]
        indexes = [
            # The progress page and the overview count a course's learners by status and
            # module reached from this index alone, however many members there are.
            models.Index(fields=["course", "status", "modules_done"]),
            models.Index(fields=["member", "status"]),
            models.Index(fields=["cohort", "status"]),
            models.Index(fields=["course", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.course_id}"


class Reflection(models.Model):
    """A learner's answer to a module's reflection question. Personal: only the learner and
    their cohort's tutor read it, and the tutor's feedback beside it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reflections")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your reflection"))
    written_at = models.DateTimeField()
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reflection")
        ordering = ["enrolment", "written_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="training_one_reflection"),
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk}"


class CheckAnswer(models.Model):
    """A learner's answers to a module's check, scored when given. A check is answered once:
    after that it is closed to them."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="check_answers")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=list)
    score = models.PositiveIntegerField()
    out_of = models.PositiveIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("check answer")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="training_one_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/{self.out_of}"

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.out_of) if self.out_of else 100
