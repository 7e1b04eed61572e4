import uuid

from django.db import migrations, models

# SQLite keeps an ordinary table in the order of a hidden, increasing rowid: the roll and
# the ballots lined up one to one. WITHOUT ROWID tables are b-trees on their primary key,
# here a random id, so their stored order is random. Django's schema editor knows nothing
# of WITHOUT ROWID: a later migration that remakes either table must keep it
# (test_security_ballot_order checks).
SQLITE = [
    'CREATE TABLE "voting_secretballot__new" ("id" char(32) NOT NULL PRIMARY KEY, '
    '"ranking" varchar(400) NOT NULL, "receipt_hash" varchar(64) NOT NULL UNIQUE, '
    '"vote_id" bigint NOT NULL REFERENCES "voting_vote" ("id") DEFERRABLE INITIALLY DEFERRED) '
    "WITHOUT ROWID",
    'INSERT INTO "voting_secretballot__new" ("id", "ranking", "receipt_hash", "vote_id") '
    'SELECT "id", "ranking", "receipt_hash", "vote_id" FROM "voting_secretballot"',
    'DROP TABLE "voting_secretballot"',
    'ALTER TABLE "voting_secretballot__new" RENAME TO "voting_secretballot"',
    'CREATE INDEX "voting_secr_vote_id_bc1e89_idx" ON "voting_secretballot" ("vote_id", "ranking")',
    'CREATE INDEX "voting_secretballot_vote_id_30856cc4" ON "voting_secretballot" ("vote_id")',
    'CREATE TABLE "voting_voterroll__new" ("id" char(32) NOT NULL PRIMARY KEY, '
    '"member_id" bigint NOT NULL REFERENCES "members_member" ("id") DEFERRABLE INITIALLY DEFERRED, '
    '"vote_id" bigint NOT NULL REFERENCES "voting_vote" ("id") DEFERRABLE INITIALLY DEFERRED, '
    '"receipt_mac" varchar(64) NOT NULL, '
    'CONSTRAINT "one_roll_entry_per_voter" UNIQUE ("vote_id", "member_id")) WITHOUT ROWID',
    'INSERT INTO "voting_voterroll__new" ("id", "member_id", "vote_id", "receipt_mac") '
    'SELECT lower(hex(randomblob(16))), "member_id", "vote_id", "receipt_mac" FROM "voting_voterroll"',
    'DROP TABLE "voting_voterroll"',
    'ALTER TABLE "voting_voterroll__new" RENAME TO "voting_voterroll"',
    'CREATE INDEX "voting_voterroll_member_id_9dd6d048" ON "voting_voterroll" ("member_id")',
    'CREATE INDEX "voting_voterroll_vote_id_a4ae210d" ON "voting_voterroll" ("vote_id")',
]

# PostgreSQL: the roll's sequential id becomes a random one (existing rows get random ids).
POSTGRESQL = [
    'ALTER TABLE "voting_voterroll" ALTER COLUMN "id" DROP IDENTITY IF EXISTS',
    'ALTER TABLE "voting_voterroll" ALTER COLUMN "id" DROP DEFAULT',
    'ALTER TABLE "voting_voterroll" ALTER COLUMN "id" TYPE uuid USING gen_random_uuid()',
    'DROP SEQUENCE IF EXISTS "voting_voterroll_id_seq"',
]


def random_order(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0002_roll_keeps_receipt_mac"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(random_order)],
            state_operations=[
                migrations.AlterField(
                    model_name="voterroll",
                    name="id",
                    field=models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
            ],
        ),
    ]
