import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings

ENCRYPTED = "fernet:"


class AccountAdapter(DefaultAccountAdapter):
    """Joining goes through the Join page (an application to a unit), not open sign-up."""

    def is_open_for_signup(self, request):
        return False


def _authenticator_key() -> Fernet:
    digest = hashlib.sha256(b"commonweal-authenticators:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets (the TOTP key, the recovery codes' seed) are stored encrypted
    under a key derived from SECRET_KEY, which is not in the database: a copy of the
    database alone can no longer make any member's second factor. Changing SECRET_KEY
    therefore means members set up their authenticators again (docs/deployment.md)."""

    def encrypt(self, text: str) -> str:
        return ENCRYPTED + _authenticator_key().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED):
            return encrypted_text  # stored before encryption; the migration encrypts those
        return _authenticator_key().decrypt(encrypted_text.removeprefix(ENCRYPTED)).decode()
