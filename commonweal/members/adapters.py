from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Joining goes through the Join page (an application to a unit), not open sign-up."""

    def is_open_for_signup(self, request):
        return False
