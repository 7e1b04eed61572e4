"""What the organisation's services share."""

import hashlib
from datetime import timedelta
from typing import Any

from django.utils.text import slugify

DAY = timedelta(days=1)


def text_hash(text: str) -> str:
    """What the record keeps of a name or a reason: its hash, never the text itself."""
    return hashlib.sha256(text.encode()).hexdigest()


def _unique_slug(model: Any, name: str) -> str:
    base = slugify(name)[:70] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
