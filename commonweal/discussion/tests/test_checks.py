import pytest

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.discussion import selectors, services
from commonweal.discussion.models import CheckResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(org, section_member):
    return services.check_open(
        space_body=org.transport,
        statement="We should campaign for free buses",
        opened_by=section_member(),
    )


def test_a_block_without_a_reason_is_refused_and_nothing_is_counted(check, section_member):
    with pytest.raises(Refused, match="say why") as refusal:
        services.check_respond(check=check, member=section_member(), choice="block", reason="  ")
    assert refusal.value.field == "reason"
    assert not CheckResponse.objects.exists()


def test_one_response_per_member_changeable_while_open(check, section_member):
    member = section_member()
    services.check_respond(check=check, member=member, choice="agree")
    services.check_respond(check=check, member=member, choice="block", reason="Fares fund drivers")
    results = selectors.check_results(check)
    assert results["total"] == 1
    assert results["by_choice"]["block"]["reasons"] == ["Fares fund drivers"]
    assert results["by_choice"]["agree"]["count"] == 0


def test_reasons_are_grouped_by_stance(check, section_member):
    services.check_respond(
        check=check, member=section_member(), choice="agree", reason="Cleaner air"
    )
    services.check_respond(check=check, member=section_member(), choice="agree")
    services.check_respond(check=check, member=section_member(), choice="disagree", reason="Cost")
    services.check_respond(check=check, member=section_member(), choice="abstain")
    by_choice = selectors.check_results(check)["by_choice"]
    assert (by_choice["agree"]["count"], by_choice["agree"]["reasons"]) == (2, ["Cleaner air"])
    assert by_choice["disagree"]["reasons"] == ["Cost"]
    assert by_choice["abstain"]["count"] == 1


def test_outsiders_and_unknown_choices_are_refused(check, section_member, make_member):
    with pytest.raises(NotPermitted):
        services.check_respond(check=check, member=make_member(), choice="agree")
    with pytest.raises(Refused):
        services.check_respond(check=check, member=section_member(), choice="love")
    assert not CheckResponse.objects.exists()


def test_a_closed_check_takes_no_responses(check, section_member):
    member = section_member()
    services.check_respond(check=check, member=member, choice="agree")
    with pytest.raises(NotPermitted):
        services.check_close(check=check, closed_by=section_member())
    check = services.check_close(check=check, closed_by=check.opened_by)
    with pytest.raises(Conflict, match="closed"):
        services.check_respond(check=check, member=member, choice="disagree")
    assert CheckResponse.objects.get().choice == "agree"
