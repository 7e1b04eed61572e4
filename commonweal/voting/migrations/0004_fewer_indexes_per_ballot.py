import django.db.models.deletion
from django.db import migrations, models

# Every ballot wrote the roll's and the ballots' own vote_id indexes, which the (vote,
# member) and (vote, ranking) indexes make redundant, and on PostgreSQL the pattern index
# Django adds to a unique text field (receipts are looked up by equality only). Written by
# hand: the schema editor would remake the SQLite tables without WITHOUT ROWID (0003).
POSTGRESQL = [
    'DROP INDEX IF EXISTS "voting_secretballot_vote_id_30856cc4"',
    'DROP INDEX IF EXISTS "voting_voterroll_vote_id_a4ae210d"',
    'DROP INDEX IF EXISTS "voting_secretballot_receipt_hash_1ce2f748_like"',
    'ALTER TABLE "voting_secretballot" RENAME CONSTRAINT "voting_secretballot_receipt_hash_key" '
    'TO "one_ballot_per_receipt"',
]
# SQLite keeps the receipt's UNIQUE in the table's definition (0003), the same constraint.
SQLITE = [
    'DROP INDEX IF EXISTS "voting_secretballot_vote_id_30856cc4"',
    'DROP INDEX IF EXISTS "voting_voterroll_vote_id_a4ae210d"',
]


def fewer_indexes(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0003_roll_and_ballots_in_random_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(fewer_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="secretballot",
                    name="receipt_hash",
                    field=models.CharField(max_length=64),
                ),
                migrations.AlterField(
                    model_name="secretballot",
                    name="vote",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="secret_ballots",
                        to="voting.vote",
                    ),
                ),
                migrations.AlterField(
                    model_name="voterroll",
                    name="vote",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roll",
                        to="voting.vote",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="secretballot",
                    constraint=models.UniqueConstraint(
                        fields=("receipt_hash",), name="one_ballot_per_receipt"
                    ),
                ),
            ],
        ),
    ]
