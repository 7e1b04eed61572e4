"""The Django admin is a window on the data, never a second way to change it.

Every change to the organisation goes through a service: its permission check, its
rulebook, its record entry and its notification. An admin form writes rows directly and
skips all four, so every model the admin shows is read-only there (no add, change,
delete or bulk action). Changes an administrator needs are made through the pages, the
API or a management command, which call the services. The one write the admin keeps is
staging a rulebook version, which calls `rulebook_stage` (see rulebook/admin.py).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group


class ReadOnlyAdmin:
    """Mix into a ModelAdmin before its base class: view only, no actions."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}


def _read_only(model) -> None:
    """Replace a third-party registration with the same admin, read-only."""
    registered = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(registered.__name__, (ReadOnlyAdmin, registered), {}))


# Groups and model permissions are not how Commonweal grants rights (rules predicates on
# units, bodies and mandates are), yet a group could hand out any model permission.
# Email addresses and authenticators are how a member signs in: changing one is an account
# takeover, and removing an officer's second factor undoes a safeguard, without a trace.
for _model in (Group, EmailAddress, Authenticator):
    _read_only(_model)
