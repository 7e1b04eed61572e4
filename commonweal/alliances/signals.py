"""Link the policy process's outside groups to the organisations recorded here, as the
policy app saves them (it knows nothing of this app)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from commonweal.policy.models import Contribution, ExternalInvitation, Proposal

from .services import link_policy_row


@receiver(post_save, sender=Proposal, dispatch_uid="alliances_proposal_link")
def proposal_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.prompted_by:
        link_policy_row("proposal", instance)


@receiver(post_save, sender=Contribution, dispatch_uid="alliances_contribution_link")
def contribution_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind == Contribution.Kind.OUTSIDE:
        link_policy_row("contribution", instance)


@receiver(post_save, sender=ExternalInvitation, dispatch_uid="alliances_invitation_link")
def invitation_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        link_policy_row("invitation", instance)
