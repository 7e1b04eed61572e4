"""Encrypt the authenticator secrets stored in the clear before MFAAdapter (TOTP keys and
recovery-code seeds), so a database copy no longer holds them."""

from django.db import migrations

SECRETS = {"totp": "secret", "recovery_codes": "seed"}


def encrypt_stored(apps, schema_editor):
    from commonweal.members.adapters import ENCRYPTED, MFAAdapter

    adapter = MFAAdapter()
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRETS).iterator():
        field = SECRETS[authenticator.type]
        value = (authenticator.data or {}).get(field)
        if isinstance(value, str) and not value.startswith(ENCRYPTED):
            authenticator.data[field] = adapter.encrypt(value)
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("members", "0004_token_scope_and_expiry"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt_stored, migrations.RunPython.noop)]
