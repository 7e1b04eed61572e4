"""Link the policy process's free-text outside groups (a proposal's "prompted by", a
unit's outside consultations, invitations to comment) to the outside organisations whose
names they match, trimmed and without regard to case. The text stays where it was, matched
or not; later mentions are linked as they are saved, and earlier ones when an organisation
of their name is recorded."""

from django.db import migrations
from commonweal.core import clock

from commonweal.alliances.matching import link_mentions


def link(apps, schema_editor):
    link_mentions(get_model=apps.get_model, now=clock.now())


class Migration(migrations.Migration):
    dependencies = [
        ("alliances", "0001_initial"),
        ("policy", "0005_early_end"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
