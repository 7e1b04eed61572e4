import json
import re

import pytest

from commonweal.discussion import services
from commonweal.discussion.models import CheckResponse, Contribution, StatementVote

pytestmark = pytest.mark.django_db


def post(debate, author, stance, text):
    return services.contribution_post(debate=debate, author=author, stance=stance, text=text)


def column(html: str, name: str) -> str:
    match = re.search(rf'<section class="column column-{name}".*?</section>', html, re.S)
    assert match, f"no {name} column"
    return match.group(0)


def test_arguments_for_and_against_sit_in_separate_columns(client, debate, section_member):
    post(debate, section_member(), "for", "Cleaner air for everyone")
    post(debate, section_member(), "against", "Fares pay the drivers")
    post(debate, section_member(), "neither", "What do other cities do?")
    client.force_login(debate.opened_by)
    html = client.get(f"/discussion/debates/{debate.pk}/").content.decode()
    assert '<div class="side-by-side arguments">' in html
    assert "Cleaner air" in column(html, "for")
    assert "Fares pay" not in column(html, "for")
    assert "Fares pay" in column(html, "against")
    assert "Cleaner air" not in column(html, "against")
    assert "other cities" in column(html, "neither")


def test_a_hidden_contribution_shows_its_reason_to_the_author_only(
    client, debate, section_member, make_officer, org
):
    author = section_member()
    contribution = post(debate, author, "for", "Rude words here")
    services.contribution_hide(
        contribution=contribution, moderator=make_officer(body=org.transport), reason="Insulting"
    )
    client.force_login(author)
    html = client.get(f"/discussion/debates/{debate.pk}/").content.decode()
    assert "Insulting" in html
    assert "Appeal to the body above" in html
    client.force_login(section_member())
    html = client.get(f"/discussion/debates/{debate.pk}/").content.decode()
    assert "Hidden by the moderators" in html
    assert "Rude words" not in html
    assert "Insulting" not in html


def test_posting_from_outside_the_body_is_refused_on_the_page(client, debate, make_member, org):
    client.force_login(make_member(unit=org.leeds))
    response = client.post(
        f"/discussion/debates/{debate.pk}/", {"stance": "for", "text": "Let me in"}
    )
    assert "Only members of Transport Section" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_debate_out_of_scope_is_not_found(client, org, make_member):
    opener = make_member(unit=org.leeds)
    debate = services.debate_open(space_unit=org.leeds, question="Leeds only", opened_by=opener)
    client.force_login(make_member(unit=org.brighton))
    assert client.get(f"/discussion/debates/{debate.pk}/").status_code == 404


def test_posting_works_with_and_without_htmx(client, debate, section_member):
    member = section_member()
    client.force_login(member)
    url = f"/discussion/debates/{debate.pk}/"
    response = client.post(url, {"stance": "against", "text": "Plain form"})
    assert response.status_code == 302
    response = client.post(
        url, {"stance": "for", "text": "With htmx"}, headers={"HX-Request": "true"}, follow=True
    )
    assert "With htmx" in column(response.content.decode(), "for")
    assert Contribution.objects.filter(author=member).count() == 2


def test_block_without_reason_is_refused_on_the_page(client, org, section_member):
    check = services.check_open(
        space_body=org.transport, statement="Free buses", opened_by=section_member()
    )
    client.force_login(section_member())
    response = client.post(f"/discussion/checks/{check.pk}/", {"choice": "block", "reason": ""})
    assert "say why you would block" in response.content.decode()
    assert not CheckResponse.objects.exists()


def test_debate_page_runs_a_constant_number_of_queries(
    client, debate, section_member, django_assert_max_num_queries
):
    client.force_login(debate.opened_by)
    members = [section_member() for _ in range(6)]

    def add(n):
        for i in range(n):
            top = post(debate, members[i % 6], ["for", "against", "neither"][i % 3], f"Arg {i}")
            services.contribution_post(
                debate=debate, author=members[(i + 1) % 6], stance="", text="Reply", parent=top
            )

    add(3)
    with django_assert_max_num_queries(40):
        client.get(f"/discussion/debates/{debate.pk}/")
    add(30)
    with django_assert_max_num_queries(40):
        client.get(f"/discussion/debates/{debate.pk}/")


def test_list_page_runs_a_constant_number_of_queries(
    client, org, section_member, make_member, django_assert_max_num_queries
):
    member = section_member()
    client.force_login(member)
    for i in range(2):
        services.debate_open(space_body=org.transport, question=f"Q{i}", opened_by=member)
    with django_assert_max_num_queries(20):
        client.get("/discussion/")
    for i in range(30):
        opener = make_member(unit=org.leeds)  # each within the rate of openings
        services.debate_open(space_unit=org.leeds, question=f"More {i}", opened_by=opener)
    with django_assert_max_num_queries(20):
        assert "More 29" in client.get("/discussion/").content.decode()


def test_api_post_vote_and_refusals(client, debate, section_member, make_member):
    member = section_member()
    client.force_login(member)
    response = client.post(
        f"/api/discussion/debates/{debate.pk}/contributions",
        json.dumps({"stance": "for", "text": "Via the API"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    detail = client.get(f"/api/discussion/debates/{debate.pk}").json()
    assert [c["text"] for c in detail["for"]] == ["Via the API"]
    client.post(f"/api/discussion/debates/{debate.pk}/map")
    client.force_login(debate.opened_by)
    assert client.post(f"/api/discussion/debates/{debate.pk}/map").status_code == 201
    client.force_login(member)
    statement = client.post(
        f"/api/discussion/debates/{debate.pk}/map/statements",
        json.dumps({"text": "Buses should be free"}),
        content_type="application/json",
    ).json()
    for choice in ("agree", "agree"):
        response = client.post(
            f"/api/discussion/statements/{statement['id']}/vote",
            json.dumps({"choice": choice}),
            content_type="application/json",
        )
    assert response.json()["agree_count"] == 1
    assert StatementVote.objects.count() == 1
    client.force_login(make_member(unit=debate.space_body.unit))
    response = client.post(
        f"/api/discussion/debates/{debate.pk}/contributions",
        json.dumps({"stance": "for", "text": "Outsider"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Only members of" in response.json()["detail"]
    response = client.post(
        f"/api/discussion/statements/{statement['id']}/vote",
        json.dumps({"choice": "agree"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Contribution.objects.count() == 1


def test_every_page_renders_for_a_member(client, debate, section_member, make_officer, org):
    author = section_member()
    contribution = post(debate, author, "for", "First")
    services.contribution_hide(
        contribution=contribution, moderator=make_officer(body=org.transport), reason="Test"
    )
    services.appeal_lodge(contribution=contribution, author=author, grounds="Please")
    leader = make_officer(body=org.leadership)
    tendency = services.tendency_form(name="Current", platform="Ours", founded_by=author)
    client.force_login(author)
    urls = [
        "/discussion/",
        "/discussion/debates/new/",
        f"/discussion/debates/{debate.pk}/map/",
        f"/discussion/contributions/{contribution.pk}/edit/",
        f"/discussion/contributions/{contribution.pk}/history/",
        "/discussion/checks/new/",
        "/discussion/tendencies/",
        "/discussion/tendencies/new/",
        f"/discussion/tendencies/{tendency.slug}/",
        f"/discussion/positions/new/?subject=discussion.debate:{debate.pk}",
        "/discussion/profile/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(leader)
    assert "Please" in client.get("/discussion/appeals/").content.decode()


def test_profile_page_saves_consent_and_attributes(client, section_member):
    member = section_member()
    client.force_login(member)
    response = client.post(
        "/discussion/profile/",
        {
            "consent": "on",
            "gender": "woman",
            "age_band": "25_39",
            "occupation_group": "",
            "region": "",
        },
    )
    assert response.status_code == 302
    assert member.discussion_profile.consent
    assert member.discussion_profile.age_band == "25_39"
