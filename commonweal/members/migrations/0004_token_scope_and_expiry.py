"""Tokens get a scope and an expiry. Tokens made before could do everything and never
expired: they keep writing, and expire 30 days after this change."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def expire_in_thirty_days(apps, schema_editor):
    ApiToken = apps.get_model("members", "ApiToken")
    ApiToken.objects.filter(expires_at=None).update(expires_at=timezone.now() + timedelta(days=30))


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_unit_status_name_index")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "read only"), ("write", "read and write")],
                default="write",
                max_length=5,
                verbose_name="may",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_in_thirty_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
