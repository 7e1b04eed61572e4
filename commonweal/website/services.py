"""Editing the public texts, and telling the page cache that public content changed."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.public_pages import public_content_changed
from commonweal.record.services import record_append

from .models import SiteText, SiteTextRevision
from .selectors import EDITABLE_TEXTS

MAX_TEXT = 50_000


def site_text_edit(*, slug: str, title: str, body: str, edited_by: Any) -> SiteText:
    """Save a new version of a public text; earlier versions are kept as its history."""
    if not edited_by.has_perm("website.change_sitetext"):
        raise NotPermitted(_("Only national officers may edit the public website's texts."))
    if slug not in EDITABLE_TEXTS:
        raise Refused(_("There is no such page to edit."))
    title = clean_plain(title)[:200]
    body = (body or "").strip()
    if not title:
        raise Refused(_("Give the page a title."), field="title")
    if not body:
        raise Refused(_("The page needs some text."), field="body")
    if len(body) > MAX_TEXT:
        raise Refused(
            _("The text is too long (at most %(n)d characters).") % {"n": MAX_TEXT}, field="body"
        )
    now = clock.now()
    with transaction.atomic():
        text, _created = SiteText.objects.select_for_update().update_or_create(
            slug=slug,
            defaults={"title": title, "body": body, "updated_at": now, "updated_by": edited_by},
        )
        SiteTextRevision.objects.create(
            site_text=text, title=title, body=body, edited_at=now, edited_by=edited_by
        )
        record_append(kind="website.text_edited", subject=text, actor=edited_by)
        transaction.on_commit(public_content_changed)
    return text
