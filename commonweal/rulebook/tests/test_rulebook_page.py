"""The rulebook page speaks the organisation's words, not the stored keys."""

import pytest

from commonweal.rulebook.labels import LABELS, SECTIONS
from commonweal.rulebook.schema import RULES
from commonweal.rulebook.selectors import current

pytestmark = pytest.mark.django_db


def test_every_rule_and_section_has_a_label_and_a_member_reads_no_key(client, make_member, org):
    assert {f"{s}.{n}" for s, fields in RULES.items() for n in fields} <= set(LABELS)
    assert set(RULES) <= set(SECTIONS)
    client.force_login(make_member(unit=org.leeds))
    page = client.get("/rulebook/").content.decode()
    for section, fields in current().rules.items():
        if not isinstance(fields, dict):
            continue
        for name in fields:
            shown_as_key = f'scope="row">{name}<' in page or ("_" in name and name in page)
            assert not shown_as_key, f"{section}.{name} is shown as its key"
    for raw in ("False", "True", "['", "yes_no", "two_thirds", "0.1<"):
        assert raw not in page
    assert "Quorum" in page
    assert "10%" in page
    assert "Support that opens a recall vote" in page
    assert "14 days" in page
    assert "elected leaderships, policy sections" in page
