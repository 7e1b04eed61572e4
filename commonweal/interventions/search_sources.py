"""What the global search finds of the interventions: their lessons, for whoever may see each
(`selectors.lessons`, as `interventions.view_lesson`: shared ones, and those of interventions
the member may see). A result opens the lessons page on that lesson's title, which every one
who sees the lesson may open, where the intervention's own page may be another branch's."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import Lesson
from .selectors import lessons


def documents(ids: list[int]) -> dict[int, Document]:
    rows = Lesson.objects.filter(pk__in=ids).select_related("intervention")
    page = reverse("interventions:lessons")
    return {
        lesson.pk: Document(
            title=lesson.title,
            text=lesson.text_html,
            url=f"{page}?{urlencode({'q': lesson.title[:100]})}",
            unit_id=lesson.intervention.unit_id,
        )
        for lesson in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="interventions.lesson",
            label=_("Lessons"),
            documents=documents,
            ids=lambda: Lesson.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=lambda user: lessons(user).prefetch_related(None).order_by(),
        )
    )
