"""Trust I, finding 7: the record holds ids, hashes and codes only, never free text.

The record is never erased; names, titles, reasons and comments must live in the domain
tables, where erasure reaches them.
"""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from commonweal.members.models import Member
from commonweal.members.services import member_suspend
from commonweal.organisation.models import Mandate
from commonweal.organisation.services import mandate_end
from commonweal.record.models import Entry
from commonweal.record.payload import UnfitForRecord, check_payload, check_subject
from commonweal.record.services import record_append
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db

SUSPENSION_REASON = "Posted another member's home address"
MANDATE_END_REASON = "Resigned: moving abroad"


def test_every_entry_of_the_demo_organisation_holds_only_ids_hashes_and_codes():
    """The demo's whole story, plus a suspension and a mandate ended early: no entry holds a
    reason, a name, an email address or a candidate list, and every value has an allowed
    shape."""
    call_command("load_demo", members=200, stdout=io.StringIO())
    admin = Member.objects.filter(is_superuser=True).first()
    member = Member.objects.filter(status=Member.Status.MEMBER, is_superuser=False).first()
    member_suspend(member=member, officer=admin, reason=SUSPENSION_REASON)
    mandate_end(mandate=Mandate.objects.first(), reason=MANDATE_END_REASON)

    entries = list(Entry.objects.order_by("id"))
    kinds = {entry.kind for entry in entries}
    assert {"member.suspended", "mandate.ended", "vote.opened", "vote.closed"} <= kinds
    for entry in entries:
        check_payload(entry.payload, entry.kind)
        check_subject(entry.subject)
    written = json.dumps([e.payload for e in entries], ensure_ascii=False)
    assert SUSPENSION_REASON not in written
    assert MANDATE_END_REASON not in written
    names = [n for v in Vote.objects.all() for n in v.candidates if n not in ("yes", "no")]
    names += list(Member.objects.values_list("full_name", flat=True))
    names += list(Member.objects.values_list("email", flat=True))
    assert names
    assert [n for n in names if json.dumps(n, ensure_ascii=False) in written] == []


@pytest.mark.parametrize(
    "value",
    [
        "Abusive posts",
        "Rosa Adeyemi",
        "rosa@example.org",
        "Chair",
        "a reason in lower case",
        "x" * 65,
        ["ok", "Not OK"],
        {"nested": {"deeper": "Free text here"}},
        {"Free key": 1},
        b"bytes",
    ],
)
def test_the_record_refuses_free_text_and_writes_nothing(value):
    before = Entry.objects.count()
    with pytest.raises(UnfitForRecord), transaction.atomic():
        record_append(kind="test.refused", subject="test.thing:1", payload={"value": value})
    assert Entry.objects.count() == before


def test_the_record_refuses_a_subject_that_is_not_a_reference():
    with pytest.raises(UnfitForRecord):
        record_append(kind="test.refused", subject="Someone's name:1")
    assert not Entry.objects.filter(kind="test.refused").exists()


def test_ids_hashes_codes_numbers_dates_and_booleans_are_recorded():
    payload = {
        "member": 12,
        "share": 0.5,
        "agreed": True,
        "decision": None,
        "sha256": "ab" * 32,
        "stage": "circulation",
        "subject": "policy.proposal:3",
        "due_on": date(2026, 3, 1).isoformat(),
        "closes_at": "2026-03-01T18:00:00.123456+00:00",
        "bodies": [1, 2, 3],
        "empty": "",
    }
    entry = record_append(kind="test.accepted", subject="test.thing:1", payload=payload)
    entry.refresh_from_db()
    assert entry.payload == payload
