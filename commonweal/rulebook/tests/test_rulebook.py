import copy

import pytest

from commonweal.core.errors import Conflict, NotPermitted
from commonweal.rulebook import services
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.schema import RulebookInvalid
from commonweal.rulebook.selectors import current

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return copy.deepcopy(current().rules)


def test_the_shipped_rulebook_is_in_force_from_set_up():
    rulebook = current()
    assert rulebook.version == 1
    assert rulebook["policy.support_days"] == 30
    assert rulebook["votes.stv_rule"] == "scottish"


@pytest.mark.parametrize(
    ("section", "field", "value", "named"),
    [
        ("policy", "support_threshold", -1, "policy.support_threshold"),
        ("meetings", "quorum", 1.5, "meetings.quorum"),
        ("votes", "methods", ["majority", "borda"], "votes.methods"),
        ("votes", "default_majority", "three_quarters", "votes.default_majority"),
        ("policy", "support_days", "thirty", "policy.support_days"),
        ("offices", "recall_support", 2, "offices.recall_support"),
        (
            "members",
            "office_holders_need_two_factor",
            "yes",
            "members.office_holders_need_two_factor",
        ),
    ],
)
def test_a_bad_rulebook_is_refused_naming_the_field(rules, section, field, value, named):
    rules[section][field] = value
    with pytest.raises(RulebookInvalid) as refusal:
        services.rulebook_stage(rules=rules, staged_by=None)
    assert any(field.startswith(named) for field in refusal.value.errors)
    assert named in str(refusal.value)
    assert RulebookVersion.objects.count() == 1


def test_a_share_threshold_over_one_hundred_percent_is_refused(rules):
    rules["policy"]["support_threshold_kind"] = "share"
    rules["policy"]["support_threshold"] = 1.2
    with pytest.raises(RulebookInvalid, match=r"policy\.support_threshold"):
        services.rulebook_stage(rules=rules, staged_by=None)


def test_unknown_and_missing_rules_are_refused(rules):
    rules["policy"]["free_lunch"] = True
    del rules["votes"]["methods"]
    with pytest.raises(RulebookInvalid) as refusal:
        services.rulebook_stage(rules=rules, staged_by=None)
    assert set(refusal.value.errors) >= {"policy.free_lunch", "votes.methods"}


def test_a_staged_version_comes_into_force_and_supersedes_the_old(rules):
    rules["policy"]["support_days"] = 45
    staged = services.rulebook_stage(rules=rules, staged_by=None, note="longer support")
    assert current()["policy.support_days"] == 30
    services.rulebook_bring_into_force(version=staged)
    assert current().version == staged.number
    assert current()["policy.support_days"] == 45
    assert RulebookVersion.objects.get(number=1).status == RulebookVersion.Status.SUPERSEDED


def test_a_version_in_force_cannot_be_brought_into_force_again(rules):
    staged = services.rulebook_stage(rules=rules, staged_by=None)
    services.rulebook_bring_into_force(version=staged)
    with pytest.raises(Conflict):
        services.rulebook_bring_into_force(version=staged)


def test_only_national_officers_may_stage(org, make_member, make_officer, rules):
    branch_officer = make_officer(org.leeds)
    with pytest.raises(NotPermitted):
        services.rulebook_stage(rules=rules, staged_by=branch_officer)
    national = make_officer(body=org.leadership, unit=org.leeds)
    assert services.rulebook_stage(rules=rules, staged_by=national).number == 2
