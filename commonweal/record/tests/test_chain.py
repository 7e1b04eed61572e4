import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonweal.record.models import Entry
from commonweal.record.selectors import record_verify
from commonweal.record.services import entry_hash, record_append, record_seal

pytestmark = pytest.mark.django_db


def append_some(n=5):
    for i in range(n):
        record_append(kind="test.step", subject=f"test:{i}", payload={"i": i})
    record_seal()


def test_appended_entries_are_sealed_into_an_intact_chain():
    append_some()
    result = record_verify()
    assert result.ok
    assert result.checked == Entry.objects.count()
    seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_each_entry_links_to_the_hash_of_the_one_before():
    append_some(3)
    entries = list(Entry.objects.order_by("seq"))
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash


def test_an_altered_entry_is_reported_with_its_number():
    append_some()
    victim = Entry.objects.order_by("seq")[2]
    Entry.objects.filter(pk=victim.pk).update(payload={"i": 999})
    result = record_verify()
    assert not result.ok
    assert result.broken_at == victim.seq
    assert "altered" in result.problem


def test_a_deleted_entry_in_the_middle_is_reported():
    append_some()
    victim = Entry.objects.order_by("seq")[3]
    Entry.objects.filter(pk=victim.pk).delete()
    result = record_verify()
    assert not result.ok
    assert result.broken_at == victim.seq
    assert "missing" in result.problem


def test_a_deleted_last_entry_is_caught_by_the_chain_head():
    append_some()
    Entry.objects.order_by("-seq").first().delete()
    result = record_verify()
    assert not result.ok


def test_a_rehashed_forgery_is_caught_at_the_forged_entry_by_its_mac():
    append_some()
    entries = list(Entry.objects.order_by("seq"))
    forged = entries[1]
    forged.payload = {"i": "forged"}
    forged.hash = entry_hash(forged, forged.prev_hash)
    forged.save()
    result = record_verify()
    assert not result.ok
    assert result.broken_at == forged.seq


def test_verify_record_command_reports_intact_and_broken(capsys):
    append_some()
    call_command("verify_record")
    assert "Record intact" in capsys.readouterr().out
    Entry.objects.filter(seq=2).update(kind="tampered")
    with pytest.raises(CommandError, match="broken at entry 2"):
        call_command("verify_record")


def test_entries_committed_later_are_sealed_after_earlier_ones():
    record_append(kind="a", subject="x:1")
    record_seal()
    record_append(kind="b", subject="x:2")
    record_seal()
    kinds = list(Entry.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds[-2:] == ["a", "b"]
    assert record_verify().ok
