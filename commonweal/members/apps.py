from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "commonweal.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        """Record entries about a member or an application name them only to those who may
        see that member's standing (record/visibility.py); a new authenticator counts as
        passed by the session that set it up; officers' homes list the applications
        waiting for them, and a member's counts are read again once they act."""
        from allauth.mfa import signals
        from django.db.models.signals import post_save

        from commonweal.record.models import Entry
        from commonweal.record.visibility import withhold_subjects

        from . import needs, selectors

        needs.register(selectors.needs)
        needs.register(selectors.offer_needs)
        post_save.connect(needs.forget_actor, sender=Entry, dispatch_uid="needs.forget_actor")

        withhold_subjects("members.member", selectors.record_members_seen_by)
        withhold_subjects("members.membershipapplication", selectors.record_applications_seen_by)
        withhold_subjects("members.offer", selectors.record_offers_seen_by)
        signals.authenticator_added.connect(_new_authenticator_proves_the_session)


def _new_authenticator_proves_the_session(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up an authenticator takes a code from it: the session has passed it.

    Without this, an office-holder sent to set one up would be signed out at once by
    `middleware.TwoFactorForOfficeHolders` for a session that never passed it.
    """
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
