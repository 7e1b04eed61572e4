"""What the policy process tells a meeting's pages about the amendments it puts to a vote."""

from .models import Amendment


def amendment_texts(pk: int) -> tuple[str, str] | None:
    """The final draft's paragraph and the text an amendment would put in its place."""
    amendment = Amendment.objects.filter(pk=pk).select_related("paragraph").first()
    if amendment is None:
        return None
    return amendment.paragraph.text, amendment.text
