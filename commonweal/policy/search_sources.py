"""What the global search finds of the policy process: proposals and published policies.

Every member may open every proposal (`policy.view_proposal`) and every published policy
(public), so neither kind narrows what a member sees.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import Policy, PolicyVersion, Proposal


def proposal_documents(ids: list[int]) -> dict[int, Document]:
    rows = Proposal.objects.filter(pk__in=ids).only("title", "text_html", "unit_id")
    return {
        p.pk: Document(
            title=p.title,
            text=p.text_html,
            url=reverse("policy:proposal", args=[p.pk]),
            unit_id=p.unit_id,
        )
        for p in rows
    }


def policy_documents(ids: list[int]) -> dict[int, Document]:
    """A policy's summary and the text of its latest version."""
    texts: dict[int, str] = {}
    for version in PolicyVersion.objects.filter(policy__in=ids).order_by("policy", "-number"):
        texts.setdefault(version.policy_id, version.text_html)
    rows = Policy.objects.filter(pk__in=ids).select_related("section")
    return {
        p.pk: Document(
            title=p.title,
            text=f"{p.summary}\n{texts.get(p.pk, '')}",
            url=p.get_absolute_url(),
            unit_id=p.section.unit_id,
        )
        for p in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="policy.proposal",
            label=_("Proposals"),
            documents=proposal_documents,
            ids=lambda: Proposal.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=lambda user: None,
        )
    )
    register(
        Source(
            kind="policy.policy",
            label=_("Policies"),
            documents=policy_documents,
            ids=lambda: Policy.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=lambda user: None,
        )
    )
