"""The amendment pages: every rule in a form with its label and value, refusals beside the
fields they concern, the diff in words, the motion put with a box ticked."""

from datetime import timedelta

import pytest
from django.test import Client

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.members.services import api_token_create
from commonweal.rulebook.forms import AmendmentForm, field_name
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db


def _form_data(**changes):
    """What the form posts when nothing is touched, with `changes` (by rule key) applied."""
    form = AmendmentForm(in_force=current())
    data = {"title": "Rulebook 2027", "note": "Why not."}
    for name, field in form.fields.items():
        if name in data:
            continue
        value = field.initial
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value if isinstance(value, list) else str(value)
    for key, value in changes.items():
        data[field_name(key)] = value
    return data


@pytest.fixture
def ana(client, conference):
    client.force_login(conference.delegates[0])
    return conference.delegates[0]


def test_the_form_shows_every_rule_with_its_label_and_value_in_force(client, ana):
    page = client.get("/rulebook/amendments/new/").content.decode()
    assert "Changing the constitution" in page
    assert "Body that changes the constitution" in page
    assert 'name="meetings__quorum"' in page
    assert 'value="10.0"' in page
    assert "In per cent of the members concerned, from 0 to 100." in page
    assert "In months, from 1 to 120." in page
    assert "In days, at least 1." in page
    assert 'value="conference" selected' in page
    assert "the national conference" in page
    assert 'name="votes__methods" value="stv"' in page
    assert "{" not in page.split("<main", 1)[1], "no raw JSON"


def test_invalid_rules_are_refused_in_the_form_each_field_named(client, ana):
    response = client.post(
        "/rulebook/amendments/new/",
        _form_data(
            **{
                "meetings.quorum": "150",
                "offices.recall_support": "-5",
                "offices.term_months": "0",
                "policy.support_days": "0",
                "votes.default_majority": "three_quarters",
            }
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["meetings__quorum"] == ["Must be between 0% and 100%."]
    assert errors["offices__recall_support"] == ["Must be between 0% and 100%."]
    assert errors["offices__term_months"] == ["Must be between 1 and 120."]
    assert errors["policy__support_days"] == ["Must be at least 1."]
    assert "votes__default_majority" in errors
    page = response.content.decode()
    assert "Some rules cannot be adopted as written" in page
    assert 'aria-invalid="true"' in page
    assert RulebookVersion.objects.count() == 1


def test_a_share_threshold_above_one_is_refused_beside_it(client, ana):
    response = client.post(
        "/rulebook/amendments/new/", _form_data(**{"policy.support_threshold": "2"})
    )
    assert "between 0 and 1" in response.context["form"].errors["policy__support_threshold"][0]
    assert RulebookVersion.objects.count() == 1


def test_drafted_compared_and_put_to_the_conference(client, ana, conference):
    response = client.post(
        "/rulebook/amendments/new/",
        _form_data(**{"meetings.quorum": "25", "members.office_holders_need_two_factor": ""}),
    )
    version = RulebookVersion.objects.get(number=2)
    assert response.url == "/rulebook/amendments/2/"
    assert version.rules["meetings"]["quorum"] == 0.25
    assert version.rules["members"]["office_holders_need_two_factor"] is False
    page = client.get(response.url).content.decode()
    for words in ("Quorum", "10%", "25%", "Office-holders sign in with a second factor", "No"):
        assert words in page
    assert "Put it to National Conference" in page

    now = clock.now()
    when = {
        "closes_at": (now + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
        "comes_into_force_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    unticked = client.post("/rulebook/amendments/2/submit/", when)
    assert "confirm" in unticked.context["form"].errors
    assert not Vote.objects.exists()
    done = client.post("/rulebook/amendments/2/submit/", {**when, "confirm": "on"})
    assert done.status_code == 302
    vote = Vote.objects.get()
    assert vote.body == conference
    assert vote.is_open
    assert vote.majority == "two_thirds"
    page = client.get("/rulebook/amendments/2/").content.decode()
    assert f'href="/votes/{vote.pk}/"' in page
    assert "Put it to National Conference" not in page


def test_a_vote_shorter_than_the_rulebook_allows_is_refused_beside_the_field(client, ana):
    client.post("/rulebook/amendments/new/", _form_data(**{"meetings.quorum": "25"}))
    now = clock.now()
    response = client.post(
        "/rulebook/amendments/2/submit/",
        {
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "comes_into_force_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "confirm": "on",
        },
    )
    assert "at least 14 days" in response.context["form"].errors["closes_at"][0]
    assert not Vote.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "branch_officer", "suspended"])
def test_the_pages_are_not_found_for_those_who_may_not_amend(
    who, conference, make_member, make_officer, org
):
    from commonweal.constitution.services import amendment_draft

    if who == "outsider":
        member = make_member(unit=org.leeds)
    elif who == "branch_officer":
        member = make_officer(org.brighton)
    else:
        member = conference.delegates[1]
        Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    client = Client()
    client.force_login(member)
    assert client.get("/rulebook/amendments/new/").status_code == 404
    assert client.post("/rulebook/amendments/new/", _form_data()).status_code == 404
    form = AmendmentForm(_form_data(**{"meetings.quorum": "30"}), in_force=current())
    assert form.is_valid()
    amendment_draft(rules=form.rules(), note="", drafted_by=conference.delegates[0])
    assert client.post("/rulebook/amendments/2/submit/", {"confirm": "on"}).status_code == 404
    assert RulebookVersion.objects.count() == 2
    assert not Vote.objects.exists()


def test_an_api_token_does_not_open_the_amendment_pages(conference):
    _token, key = api_token_create(member=conference.delegates[0], name="script", scope="write")
    client = Client(headers={"Authorization": f"Token {key}"})
    response = client.post("/rulebook/amendments/new/", _form_data(**{"meetings.quorum": "30"}))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert RulebookVersion.objects.count() == 1


def test_a_rule_naming_bodies_is_written_as_names_even_of_bodies_not_created_yet(client, ana):
    page = client.get("/rulebook/amendments/new/").content.decode()
    assert 'name="training__authored_by"' in page
    assert 'value="training-department"' in page
    response = client.post(
        "/rulebook/amendments/new/",
        _form_data(**{"training.authored_by": "training-department, education"}),
    )
    assert response.status_code == 302
    version = RulebookVersion.objects.get(number=2)
    assert version.rules["training"]["authored_by"] == ["training-department", "education"]
    refused = client.post(
        "/rulebook/amendments/new/", _form_data(**{"training.authored_by": "Not A Name!"})
    )
    assert "training__authored_by" in refused.context["form"].errors
    assert RulebookVersion.objects.count() == 2


def test_courses_required_by_office_are_written_one_office_a_line(client, ana):
    page = client.get("/rulebook/amendments/new/").content.decode()
    assert "chair: chairing" in page  # the shipped requirement, as the form shows it
    response = client.post(
        "/rulebook/amendments/new/",
        _form_data(
            **{
                "training.before_standing": "chair: chairing, facilitation\nany: induction",
                "training.retraining_days": "730",
            }
        ),
    )
    assert response.status_code == 302
    rules = RulebookVersion.objects.get(number=2).rules["training"]
    assert rules["before_standing"] == {"chair": ["chairing", "facilitation"], "any": ["induction"]}
    assert rules["within_office"] == {"chair": ["chairing"]}
    assert rules["retraining_days"] == 730
    for bad in ("treasurer: bookkeeping", "chair chairing", "chair: not a name!"):
        refused = client.post(
            "/rulebook/amendments/new/", _form_data(**{"training.before_standing": bad})
        )
        assert "training__before_standing" in refused.context["form"].errors, bad
    assert RulebookVersion.objects.count() == 2
