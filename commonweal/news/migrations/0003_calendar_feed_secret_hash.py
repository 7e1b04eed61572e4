"""Calendar addresses are kept as the hash of their secret. Addresses already handed out
keep working: their secrets are hashed here, and the plain secrets are dropped."""

import hashlib

from django.db import migrations, models


def hash_secrets(apps, schema_editor):
    CalendarFeed = apps.get_model("news", "CalendarFeed")
    for feed in CalendarFeed.objects.all().iterator():
        feed.secret_hash = hashlib.sha256(feed.secret.encode()).hexdigest()
        feed.save(update_fields=["secret_hash"])


class Migration(migrations.Migration):
    dependencies = [("news", "0002_rendered_markdown")]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="secret_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_secrets, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="secret"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="secret_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
