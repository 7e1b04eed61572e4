"""What erasure leaves of a member's training."""

from typing import Any

from ..models import (
    CheckAnswer,
    Reflection,
)


def member_erase(member: Any) -> None:
    """A learner's reflections and check answers are theirs: deleted. Enrolments stay, under
    the tombstone, as counts (who completed what is the organisation's record of training).
    Feedback they wrote as a tutor stays with the learner it answered, signed "former member"."""
    Reflection.objects.filter(enrolment__member=member).delete()
    CheckAnswer.objects.filter(enrolment__member=member).delete()
