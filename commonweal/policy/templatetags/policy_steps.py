"""Where a proposal stands, in words, for lists and the stepper."""

from datetime import datetime

from django import template

from commonweal.policy import selectors
from commonweal.policy.models import Proposal

register = template.Library()


@register.filter
def step_words(proposal: Proposal) -> str:
    """ "Step 2 of 8, support: needs 11 more supports by 3 January", from the row alone."""
    return selectors.step_words(proposal)


@register.filter
def day_words(moment: datetime | None) -> str:
    """ "3 January" (with the year when it is not this one)."""
    return selectors.day_words(moment) if moment else ""


@register.inclusion_tag("policy/_standing_line.html", takes_context=True)
def standing_line(context, proposal: Proposal) -> dict:
    """Where the proposal stands and what happens next, in one paragraph, on the pages an
    action leads to (drafts, circulation, timeline), linking to the stepper."""
    return {
        "proposal": proposal,
        "standing": selectors.proposal_standing(proposal, context["user"]),
    }
