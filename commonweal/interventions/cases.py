"""Lessons drawn from interventions, offered to courses as case material (`training.cases`).

A learner sees an attached lesson only where they could read it among the lessons: a shared
one, or one of an intervention in their part of the organisation.
"""

from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonweal.training import cases

from . import selectors
from .models import Lesson

KIND = "interventions.lesson"


def _fetch(ids: list[int]) -> dict[int, cases.Case]:
    return {
        lesson.pk: cases.Case(
            title=lesson.title,
            summary=Truncator(strip_tags(lesson.text_html)).words(40),
            url=reverse("interventions:detail", args=[lesson.intervention_id])
            + f"#lesson-{lesson.pk}",
        )
        for lesson in Lesson.objects.filter(pk__in=ids)
    }


def _visible(member: Any, ids: list[int]) -> set[int]:
    return set(selectors.lessons(member).filter(pk__in=ids).values_list("pk", flat=True))


def register() -> None:
    cases.register(
        cases.CaseKind(
            key=KIND, label=_("lesson from an intervention"), fetch=_fetch, visible=_visible
        )
    )
