from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "commonweal.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        """Record entries about a member or an application name them only to those who may
        see that member's standing (record/visibility.py)."""
        from commonweal.record.visibility import withhold_subjects

        from . import selectors

        withhold_subjects("members.member", selectors.record_members_seen_by)
        withhold_subjects("members.membershipapplication", selectors.record_applications_seen_by)
