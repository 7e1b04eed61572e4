"""What the global search finds of the decisions register: every decision, which every
member may open (`decisions.view_decision`), with what came of it once reviewed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import Decision


def documents(ids: list[int]) -> dict[int, Document]:
    rows = Decision.objects.filter(pk__in=ids).select_related("body")
    return {
        d.pk: Document(
            title=d.title,
            text=f"{d.text_html}\n{d.review_outcome_html}",
            url=reverse("decisions:detail", args=[d.pk]),
            unit_id=d.body.unit_id,
        )
        for d in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="decisions.decision",
            label=_("Decisions"),
            documents=documents,
            ids=lambda: Decision.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=lambda user: None,
        )
    )
