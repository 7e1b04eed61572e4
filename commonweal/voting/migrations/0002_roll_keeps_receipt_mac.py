from django.db import migrations, models


class Migration(migrations.Migration):
    """The roll forgets idempotency keys and keeps a keyed hash of the member's receipt.

    Entries cast before this keep an empty receipt_mac: their ballots can no longer be
    changed (no receipt fits), which is safer than letting any receipt change them."""

    dependencies = [
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="voterroll", name="key_hash"),
        migrations.AddField(
            model_name="voterroll",
            name="receipt_mac",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
