"""Install the shipped rulebook as version 1, so a fresh database has rules in force."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def install_default(apps, schema_editor):
    from commonweal.rulebook.schema import validate
    from commonweal.rulebook.services import load_toml

    RulebookVersion = apps.get_model("rulebook", "RulebookVersion")
    Entry = apps.get_model("record", "Entry")
    if RulebookVersion.objects.exists():
        return
    rules = load_toml(settings.COMMONWEAL_DEFAULT_RULEBOOK)
    validate(rules)
    now = timezone.now()
    version = RulebookVersion.objects.create(
        number=1, title=rules.get("title", "Rulebook"), rules=rules, status="in_force",
        note="The rulebook shipped with Commonweal.", staged_at=now, in_force_from=now)
    Entry.objects.create(kind="rulebook.in_force", subject=f"rulebook.rulebookversion:{version.pk}",
                         payload={"number": 1}, rulebook_version=1, created_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("rulebook", "0001_initial"),
        ("record", "0001_initial"),
    ]
    operations = [migrations.RunPython(install_default, migrations.RunPython.noop)]
