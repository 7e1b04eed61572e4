"""What the global search finds of discussion: debates (their question and background),
for whoever may open them (`selectors.visible_debates`, as `discussion.view_debate`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import Debate
from .selectors import visible_debates


def documents(ids: list[int]) -> dict[int, Document]:
    rows = Debate.objects.filter(pk__in=ids).select_related("space_body")
    return {
        d.pk: Document(
            title=d.question,
            text=d.description_html,
            url=reverse("discussion:debate", args=[d.pk]),
            unit_id=d.space_unit_id or (d.space_body.unit_id if d.space_body_id else None),
        )
        for d in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="discussion.debate",
            label=_("Debates"),
            documents=documents,
            ids=lambda: Debate.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=visible_debates,
        )
    )
