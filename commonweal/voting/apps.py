from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "commonweal.voting"
    label = "voting"
    verbose_name = _("Votes")
    nav = (30, "voting:list", _("Votes"))

    def ready(self) -> None:
        """The member's home lists the votes they have not cast (members.needs); a ballot
        is not on the record under its voter, so casting one reads their counts again. A body
        with an open vote, or a unit holding one, does not close under it. The decision
        register asks who could vote and how an open ballot went (minority positions)."""
        from django.db.models.signals import post_save

        from commonweal.decisions import ballots
        from commonweal.members import needs
        from commonweal.organisation import closing

        from .models import OpenBallot, VoterRoll
        from .selectors import may_vote, open_votes_blocking, own_open_ballot
        from .selectors import needs as provider

        needs.register(provider)

        def cast(sender, instance, created, **kwargs) -> None:
            if created:
                needs.forget(getattr(instance, "member_id", None) or instance.voter_id)

        post_save.connect(cast, sender=VoterRoll, dispatch_uid="needs.voter_roll")
        post_save.connect(cast, sender=OpenBallot, dispatch_uid="needs.open_ballot")
        closing.register(open_votes_blocking)
        ballots.provide(open_ballot=own_open_ballot, may_vote=may_vote)
