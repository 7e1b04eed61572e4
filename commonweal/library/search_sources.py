"""What the global search finds in the libraries: current documents (title and description;
not the files), for whoever may read the body's library (`selectors.readable_documents`, as
`library.view_document`). A withdrawn document leaves the index."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document as Found
from commonweal.search.registry import Source, register

from .models import Document
from .selectors import readable_documents


def documents(ids: list[int]) -> dict[int, Found]:
    rows = Document.objects.filter(pk__in=ids, withdrawn_at=None).select_related("body")
    return {
        d.pk: Found(
            title=d.title,
            text=d.description_html,
            url=reverse("library:document", args=[d.pk]),
            unit_id=d.body.unit_id,
        )
        for d in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="library.document",
            label=_("Library documents"),
            documents=documents,
            ids=lambda: (
                Document.objects.filter(withdrawn_at=None)
                .order_by("pk")
                .values_list("pk", flat=True)
                .iterator()
            ),
            visible=readable_documents,
        )
    )
