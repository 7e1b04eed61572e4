"""A copy of the database holds no member's authenticator secret (ASVS 2.9 / 6.2)."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.db import connection

from conftest import TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


def stored_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        return " ".join(str(row[0]) for row in cursor.fetchall())


def test_the_totp_key_and_recovery_seed_are_stored_encrypted_and_still_work(org, make_officer):
    officer = make_officer(org.leeds)  # signs in with TOTP_SECRET, as every test officer
    codes = RecoveryCodes.activate(officer)
    stored = stored_rows()
    assert TOTP_SECRET not in stored
    assert codes.instance.data["seed"].startswith("fernet:")
    totp = TOTP(Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP))
    assert totp.validate_code(totp_code())
    assert RecoveryCodes(codes.instance).get_unused_codes()


def test_secrets_stored_in_the_clear_before_are_encrypted_by_the_migration(org, make_officer):
    officer = make_officer(org.leeds)
    Authenticator.objects.filter(user=officer).update(data={"secret": TOTP_SECRET})
    assert TOTP_SECRET in stored_rows()
    migration = importlib.import_module(
        "commonweal.members.migrations.0005_encrypt_authenticator_secrets"
    )
    migration.encrypt_stored(apps, None)
    assert TOTP_SECRET not in stored_rows()
    totp = TOTP(Authenticator.objects.get(user=officer))
    assert totp.validate_code(totp_code())
