"""The demo's search index: made last, from everything the other apps loaded in bulk."""

from .services import index_rebuild


def load(ctx) -> None:
    counts = index_rebuild()
    ctx.say(f"Search index: {sum(counts.values()):,} entries.")
