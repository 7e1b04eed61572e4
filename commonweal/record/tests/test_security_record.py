"""Trust I, findings 6 and 8: forged, cut and re-sealed records are caught; /record/ serves the
worker's stored check.

The forgeries are done the way an attacker would: straight in the database, some without
the record's key (a database copy or an injected INSERT), some with it (the server itself).
Members catch the latter with checkpoints they kept and scripts/verify_record.py, run here
on the standard library alone (`python -I -S`).
"""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.schedule import periodic_enqueue_due
from commonweal.record import keys
from commonweal.record.models import ChainCheck, ChainHead, Checkpoint, Entry
from commonweal.record.selectors import record_verify
from commonweal.record.services import (
    GENESIS_HASH,
    entry_hash,
    mac_of,
    record_append,
    record_check,
    record_seal,
)

pytestmark = pytest.mark.django_db

VERIFIER = Path(__file__).resolve().parents[3] / "scripts" / "verify_record.py"


def append_some(n=6):
    for i in range(n):
        record_append(kind="test.step", subject=f"test:{i}", payload={"i": i})
    record_seal()


def sealed():
    return list(Entry.objects.exclude(seq__isnull=True).order_by("seq"))


def rewrite_chain(entries, *, with_key=True):
    """Replace the sealed chain by `entries`, rebuilding every link as the sealer would."""
    Entry.objects.filter(seq__isnull=False).delete()
    prev = GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        entry.pk, entry.seq = None, seq
        if with_key:
            entry.mac = mac_of(entry)
        entry.prev_hash, entry.hash = prev, entry_hash(entry, prev)
        if with_key:
            entry.seal = keys.seal_mac(seq, entry.hash)
        prev = entry.hash
        entry.save(force_insert=True)
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": len(entries), "last_hash": prev})


def forged_entry(**fields):
    entry = Entry(
        kind="voting.ballot_cast",
        subject="voting.vote:1",
        payload={"choice": "yes"},
        created_at=clock.now(),
        nonce=secrets.token_hex(16),
        **fields,
    )
    entry.mac = mac_of(entry)
    return entry


def alter(entries):
    entries[2].payload = {"i": "forged"}
    return entries


FORGERIES = {
    "altered": alter,
    "deleted": lambda entries: entries[:2] + entries[3:],
    "truncated": lambda entries: entries[:-2],
    "inserted": lambda entries: [*entries[:2], forged_entry(), *entries[2:]],
}


# --- Without the key: the MAC ----------------------------------------------------------------


def test_a_row_inserted_without_the_key_is_never_sealed_and_breaks_the_record():
    append_some()
    forged = Entry.objects.create(
        kind="voting.ballot_cast",
        subject="voting.vote:1",
        payload={"choice": "yes"},
        created_at=clock.now(),
        nonce="00" * 16,
        mac="ab" * 32,
    )
    assert record_seal() == 0
    forged.refresh_from_db()
    assert forged.seq is None
    result = record_verify()
    assert not result.ok
    assert f"id {forged.pk}" in result.problem
    with pytest.raises(CommandError, match="not written by the platform"):
        call_command("verify_record")
    forged.refresh_from_db()
    assert forged.seq is None


def test_verify_record_seals_nothing():
    append_some(2)
    waiting = record_append(kind="test.waiting", subject="test:w")
    call_command("verify_record")
    waiting.refresh_from_db()
    assert waiting.seq is None


def test_an_entry_sealed_in_place_without_the_key_is_caught_by_its_mac():
    append_some()
    head = ChainHead.objects.get(pk=1)
    forged = forged_entry()
    forged.mac = "cd" * 32
    forged.seq, forged.prev_hash = head.last_seq + 1, head.last_hash
    forged.hash = entry_hash(forged, head.last_hash)
    forged.save(force_insert=True)
    ChainHead.objects.filter(pk=1).update(last_seq=forged.seq, last_hash=forged.hash)
    result = record_verify()
    assert not result.ok
    assert result.broken_at == forged.seq


@pytest.mark.parametrize("forgery", ["altered", "deleted", "inserted"])
def test_a_rebuilt_chain_without_the_key_is_caught_by_the_macs(forgery):
    append_some()
    rewrite_chain(FORGERIES[forgery](sealed()), with_key=False)
    assert not record_verify().ok


def test_a_copied_entry_is_refused_by_the_database():
    append_some(2)
    copy = sealed()[-1]
    copy.pk, copy.seq = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)


# --- With the key too: the checkpoints -------------------------------------------------------


def test_a_cut_tail_with_the_head_moved_back_is_caught_by_the_checkpoint(caplog):
    append_some()
    record_check()
    doomed = sealed()[-2:]
    Entry.objects.filter(pk__in=[e.pk for e in doomed]).delete()
    ChainHead.objects.filter(pk=1).update(last_seq=doomed[0].seq - 1, last_hash=doomed[0].prev_hash)
    whole = record_verify()
    assert not whole.ok
    assert "vouched for" in whole.problem
    check = record_check()
    assert not check.ok
    assert not Checkpoint.objects.filter(entries=doomed[0].seq - 1).exists()
    assert "The record is broken (recent check)" in caplog.text


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_chain_resealed_with_the_key_is_caught_by_the_checkpoints(forgery):
    append_some()
    record_check()
    rewrite_chain(FORGERIES[forgery](sealed()))
    assert not record_verify().ok
    assert not record_check(whole=True).ok
    assert not record_check().ok


def test_a_checkpoint_not_signed_with_the_key_breaks_the_record():
    append_some()
    record_check()
    Checkpoint.objects.create(
        entries=3, head_hash=sealed()[2].hash, made_at=clock.now(), signature="00" * 64
    )
    result = record_verify()
    assert not result.ok
    assert "not signed" in result.problem


# --- Members, with the standalone verifier ---------------------------------------------------


@pytest.fixture
def member_client(client, org, make_member):
    client.force_login(make_member(unit=org.leeds))
    return client


def run_verifier(tmp_path, client, *kept: str):
    entries = tmp_path / "entries.txt"
    entries.write_bytes(b"".join(client.get(reverse("record:entries")).streaming_content))
    files = []
    for n, text in enumerate(kept):
        files.append(tmp_path / f"kept-{n}.html")
        files[-1].write_text(text, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(VERIFIER),
            "--public-key",
            keys.public_key(),
            "--entries",
            str(entries),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_member_verifies_an_honest_record_against_the_page_and_the_feed(member_client, tmp_path):
    append_some()
    record_check()
    page = member_client.get(reverse("website:checkpoints")).content.decode()
    append_some(3)
    record_check()
    feed = member_client.get(reverse("website:checkpoints_feed")).content.decode()
    assert keys.public_key() in page
    done = run_verifier(tmp_path, member_client, page, feed)
    assert done.returncode == 0, done.stderr
    assert f"Verified: {len(sealed())} entries" in done.stdout


@pytest.mark.parametrize("forgery", [*sorted(FORGERIES), "altered without the key"])
def test_a_member_holding_an_older_checkpoint_catches_the_forgery(forgery, member_client, tmp_path):
    append_some()
    record_check()
    kept = member_client.get(reverse("website:checkpoints")).content.decode()
    if forgery == "altered without the key":
        Entry.objects.filter(seq=3).update(kind="decisions.passed")
    else:
        rewrite_chain(FORGERIES[forgery](sealed()))
        # The server's own checkpoints are replaced by one signed over the forgery.
        Checkpoint.objects.all().delete()
        ChainCheck.objects.all().delete()
        record_check()
        assert Checkpoint.objects.count() == 1
    now = member_client.get(reverse("website:checkpoints")).content.decode()
    done = run_verifier(tmp_path, member_client, kept, now)
    assert done.returncode == 1
    assert "NOT VERIFIED" in done.stderr


def test_a_checkpoint_signed_with_another_key_is_refused_by_the_verifier(member_client, tmp_path):
    append_some()
    other = Ed25519PrivateKey.generate()
    made_at = clock.now().replace(microsecond=0)
    head = ChainHead.objects.get(pk=1)
    statement = keys.checkpoint_statement(head.last_seq, head.last_hash, made_at)
    Checkpoint.objects.create(
        entries=head.last_seq,
        head_hash=head.last_hash,
        made_at=made_at,
        signature=other.sign(statement.encode()).hex(),
    )
    page = member_client.get(reverse("website:checkpoints")).content.decode()
    done = run_verifier(tmp_path, member_client, page)
    assert done.returncode == 1
    assert "not signed by that public key" in done.stderr


def test_the_download_holds_no_content_and_refuses_a_bad_start(member_client):
    record_append(kind="test.private", subject="members.member:7", payload={"secret": "x"})
    record_seal()
    text = b"".join(member_client.get(reverse("record:entries")).streaming_content).decode()
    assert "test.private" in text
    assert "members.member:7" not in text
    assert "secret" not in text
    assert member_client.get(reverse("record:entries") + "?after=-1").status_code == 400


# --- Finding 8: the page serves the worker's stored check ------------------------------------


def test_the_record_page_serves_the_stored_check_and_says_when(member_client):
    append_some()
    record_check()
    Entry.objects.filter(seq=3).update(kind="tampered")
    page = member_client.get(reverse("record:verify")).content.decode()
    assert "last verified at" in page
    assert "intact up to entry" in page
    record_check(whole=True)
    page = member_client.get(reverse("record:verify")).content.decode()
    assert "The whole record is broken" in page


def test_the_recent_check_walks_only_what_came_after_the_last_checkpoint():
    append_some()
    first = record_check()
    append_some(3)
    second = record_check()
    assert second.ok
    assert second.checked == 3
    assert second.through == first.through + 3
    whole = record_check(whole=True)
    assert whole.ok
    assert whole.checked == whole.through == len(sealed())


def test_the_clock_runs_the_checks_on_the_worker(run_worker):
    append_some()
    enqueued = periodic_enqueue_due()
    assert "commonweal.record.tasks.check_record['recent']" in enqueued
    assert "commonweal.record.tasks.check_record['whole']" in enqueued
    run_worker()
    assert set(ChainCheck.objects.values_list("scope", flat=True)) == {"recent", "whole"}
    assert all(ChainCheck.objects.values_list("ok", flat=True))
    assert Checkpoint.objects.filter(entries=len(sealed())).exists()


def test_entries_sealed_after_the_check_read_the_head_raise_no_false_alarm():
    """The sealer commits between the check's read of the head and its walk: the check
    ends at the head it read (here put back, as the check saw it) and leaves the rest."""
    append_some()
    head = ChainHead.objects.get(pk=1)
    append_some(2)
    later = ChainHead.objects.get(pk=1)
    ChainHead.objects.filter(pk=1).update(last_seq=head.last_seq, last_hash=head.last_hash)
    result = record_verify()
    assert result.ok, result.problem
    assert result.through == head.last_seq
    ChainHead.objects.filter(pk=1).update(last_seq=later.last_seq, last_hash=later.last_hash)
    assert record_verify().through == later.last_seq
