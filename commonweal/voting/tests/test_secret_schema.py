"""A secret ballot keeps no stored link between voter and choice: checked on the schema itself."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from commonweal.voting import services
from commonweal.voting.models import OpenBallot, SecretBallot, VoterRoll

pytestmark = pytest.mark.django_db

CHOICE_COLUMNS = {"ranking", "choice", "choices", "approvals"}


def _refers_to_member(field) -> bool:
    return field.is_relation and field.related_model is apps.get_model(settings.AUTH_USER_MODEL)


def test_only_the_open_roll_call_joins_a_member_and_a_choice():
    """Across every table of the voting app: which hold a member reference and a choice."""
    joined = set()
    for model in apps.get_app_config("voting").get_models():
        fields = model._meta.get_fields()
        has_member = any(_refers_to_member(f) for f in fields if f.concrete)
        has_choice = any(getattr(f, "column", None) in CHOICE_COLUMNS for f in fields)
        if has_member and has_choice:
            joined.add(model)
    assert joined == {OpenBallot}


def test_the_database_tables_agree_with_the_models():
    with connection.cursor() as cursor:
        ballot = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, SecretBallot._meta.db_table
            )
        }
        roll = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, VoterRoll._meta.db_table
            )
        }
    assert ballot == {"id", "vote_id", "ranking", "receipt_hash"}
    assert roll == {"id", "vote_id", "member_id", "receipt_mac"}


def test_secret_ballots_have_no_time_and_no_sequence():
    fields = SecretBallot._meta.concrete_fields
    assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    pk = SecretBallot._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert not isinstance(pk, models.AutoField | models.BigAutoField)
    assert SecretBallot._meta.ordering == []


def test_stored_ballots_cannot_be_put_back_in_voting_order(make_vote, voters):
    """Ten members vote in turn; the ballots' ids carry no trace of that order."""
    vote = make_vote("schulze", secret=True, candidates=["A", "B", "C"])
    order = [["A"], ["B"], ["C"], ["A", "B"], ["B", "A"], ["C", "A"], ["A", "C"]]
    for member, ranking in zip(voters["north"], order, strict=True):
        services.ballot_cast(vote=vote, voter=member, ranking=ranking)
    ids = list(SecretBallot.objects.filter(vote=vote).values_list("id", flat=True))
    assert len({i.hex[:8] for i in ids}) == len(ids)
    assert all(i.version == 4 for i in ids)  # random, not time-based (uuid1) or sequential
    roll_members = list(VoterRoll.objects.filter(vote=vote).values_list("member_id", flat=True))
    assert set(roll_members) == {m.pk for m in voters["north"]}
    # The published receipt list is sorted by hash, not by when ballots were cast.
    from commonweal.voting import selectors

    services.vote_close(vote=vote)
    hashes = [r["receipt_sha256"] for r in selectors.receipts_list(vote)]
    assert hashes == sorted(hashes)
