"""What the global search finds of meetings: their minutes, shown on the meeting's page to
whoever may open the meeting (every member: `meetings.view_meeting`), drafts included."""

from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import Minutes


def documents(ids: list[int]) -> dict[int, Document]:
    rows = Minutes.objects.filter(pk__in=ids).select_related("meeting__body")
    return {
        m.pk: Document(
            title=_t("Minutes: %(meeting)s") % {"meeting": m.meeting.title},
            text=m.text_html,
            url=reverse("meetings:detail", args=[m.meeting_id]) + "#minutes",
            unit_id=m.meeting.scope_id or m.meeting.body.unit_id,
        )
        for m in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="meetings.minutes",
            label=_("Minutes"),
            documents=documents,
            ids=lambda: Minutes.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=lambda user: None,
        )
    )
