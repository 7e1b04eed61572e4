"""8. Publication: an approved policy becomes a new public policy or a new version."""

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from commonweal.core import clock
from commonweal.core.markdown import clean_plain
from commonweal.core.public_pages import public_content_changed
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import Rulebook
from commonweal.search.services import index as search_index

from ..models import Policy, PolicyVersion, Proposal


def _publish(proposal: Proposal, *, text: str, decision: Any, rulebook: Rulebook) -> Policy:
    """A new version of the amended policy, or a new policy, on the public website."""
    now = clock.now()
    policy = proposal.amends
    if policy is None:
        base = slugify(proposal.title)[:100] or "policy"
        slug, n = base, 1
        while Policy.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        policy = Policy.objects.create(
            title=proposal.title,
            slug=slug,
            summary=clean_plain(proposal.scope_areas)[:500],
            section=proposal.section,
            published_at=now,
        )
    else:
        # An amendment changes the policy's text, not its name: the proposal's title
        # names the change, and stays visible through the version's decision.
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        policy.published_at = now
        policy.save(update_fields=["published_at"])
    last = policy.versions.order_by("-number").values_list("number", flat=True).first() or 0
    PolicyVersion.objects.create(
        policy=policy,
        number=last + 1,
        title=policy.title,
        text=text,
        published_at=now,
        proposal=proposal,
        decision=decision,
        rulebook_version=rulebook.version,
    )
    proposal.policy = policy
    proposal.save(update_fields=["policy"])
    search_index("policy.policy", policy.pk)
    record_append(
        kind="policy.published_version",
        subject=policy,
        payload={"policy": policy.pk, "version": last + 1, "decision": decision.pk},
        rulebook_version=rulebook.version,
    )
    transaction.on_commit(public_content_changed)
    return policy
