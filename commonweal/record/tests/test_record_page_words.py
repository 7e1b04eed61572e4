"""The record page says what happened in words, not in the code's identifiers."""

import pytest

from commonweal.organisation.models import Body
from commonweal.record.services import record_append, record_seal

pytestmark = pytest.mark.django_db


def test_entries_read_as_words_and_name_no_more_than_the_kind_of_thing(client, org, make_member):
    body = Body.objects.filter(unit=org.leeds).first()
    record_append(kind="organisation.body_created", subject=body)
    record_seal()
    client.force_login(make_member(unit=org.leeds))
    page = client.get("/record/").content.decode()
    assert "Organisation: body created" in page
    assert f"body {body.pk}<" in page
    assert "organisation.body" not in page
    assert body.name not in page.split("<table")[1]
