"""The home page's "What needs you": what each member is asked to do, in their scope only,
nearest deadline first, counted in the navigation, at a cost that does not grow with it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.members import needs
from commonweal.members.services import member_apply, member_suspend
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import mandate_grant
from commonweal.voting.services import ballot_cast, vote_create, vote_open

pytestmark = pytest.mark.django_db


def open_vote(body, *, title="Adopt the plan", electorate=None, days=3):
    vote = vote_create(
        title=title,
        body=body,
        method="majority",
        electorate=electorate,
        closes_at=clock.now() + timedelta(days=days),
        created_by=None,
    )
    return vote_open(vote=vote, opened_by=None)


def apply(unit, n: int) -> None:
    member_apply(
        email=f"applicant{n}@example.org",
        full_name=f"Applicant {n}",
        unit=unit,
        password="a-long-applicant-password-1",
    )


def home(client, member) -> str:
    client.force_login(member)
    response = client.get(reverse("members:home"))
    assert response.status_code == 200
    return response.content.decode()


def listed_kinds(page: str) -> list[tuple[str, int]]:
    """The kinds and counts of the lines under "What needs you", in the page's order."""
    section = page.split('id="what-needs-me"', 1)[1].split("</section>", 1)[0]
    return [
        (kind, int(n)) for kind, n in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', section)
    ]


def nav_badge(page: str, label: str) -> int:
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    match = re.search(
        rf">{label}<span id=\"need-count-[\w-]+\">(?: <span class=\"badge\">(\d+))?", nav
    )
    assert match, label
    return int(match.group(1) or 0)


def test_a_member_sees_the_votes_they_have_not_cast_soonest_first_and_counted_in_the_menu(
    client, org, make_member
):
    member = make_member(unit=org.leeds)
    open_vote(assembly_of(org.north), title="Later", electorate=org.north, days=5)
    sooner = open_vote(assembly_of(org.leeds), title="Sooner", electorate=org.leeds, days=1)
    open_vote(assembly_of(org.brighton), title="Elsewhere", electorate=org.brighton)
    page = home(client, member)
    assert page.index("Sooner") < page.index("Later")
    assert "Elsewhere" not in page
    assert listed_kinds(page) == [("vote", 1), ("vote", 1)]
    assert nav_badge(page, "Votes") == 2
    assert nav_badge(page, "Home") == 2

    ballot_cast(vote=sooner, voter=member, ranking=["yes"])
    # Casting a ballot forgets the member's counts: the next page fetches them, not "2".
    page = client.get(reverse("voting:list")).content.decode()
    assert nav_badge(page, "Votes") == 0
    assert f'hx-get="{reverse("members:need_counts")}"' in page
    page = home(client, member)
    assert "Sooner" not in page.split('id="what-needs-me"')[1].split("</section>")[0]
    assert listed_kinds(page) == [("vote", 1)]
    assert nav_badge(page, "Votes") == 1


def test_a_branch_officer_decides_their_branchs_applications_and_no_other_branchs(
    client, org, make_officer
):
    leeds_officer = make_officer(org.leeds)
    york_officer = make_officer(org.york)
    apply(org.leeds, 1)
    apply(org.leeds, 2)
    page = home(client, leeds_officer)
    assert listed_kinds(page).count(("application", 1)) == 2
    assert "Applicant 1" in page
    page = home(client, york_officer)
    assert "Applicant 1" not in page
    assert ("application", 1) not in listed_kinds(page)
    assert nav_badge(page, "Home") == 0


def test_a_suspended_member_is_asked_for_nothing(client, org, make_member, make_officer):
    member = make_member(unit=org.leeds)
    open_vote(assembly_of(org.leeds), electorate=org.leeds)
    assert listed_kinds(home(client, member)) == [("vote", 1)]
    member_suspend(member=member, officer=make_officer(org.leeds), reason="Unpaid dues")
    member.refresh_from_db()
    assert needs.needs_of(member) == []
    assert needs.nav_counts(member) == {}


def test_an_officer_who_is_suspended_no_longer_sees_the_applications(org, make_officer):
    officer = make_officer(org.leeds)
    apply(org.leeds, 1)
    assert [n.kind for n in needs.needs_of(officer)] == ["application"]
    officer.status = "suspended"
    officer.save(update_fields=["status"])
    assert needs.needs_of(officer) == []


def test_a_national_officer_sees_the_organisations_figures_apart_from_their_own(
    client, org, make_member, make_officer
):
    national = make_officer(body=org.leadership, unit=org.leeds)
    branch = make_officer(org.york)
    open_vote(assembly_of(org.brighton), electorate=org.brighton)
    page = home(client, national)
    assert 'id="organisation-overview"' in page
    assert re.search(r'data-kind="votes_open" data-count="1"', page)
    # The figure is not something they are asked to do: no link counts it.
    assert nav_badge(page, "Votes") == 0
    assert 'id="organisation-overview"' not in home(client, branch)


def test_officers_see_overdue_reports_of_their_bodies_and_their_own(org, make_member):
    chair, treasurer = make_member(unit=org.leeds), make_member(unit=org.leeds)
    long_ago = clock.now().date() - timedelta(days=200)
    mandate_grant(body=org.leadership, holder=chair, office="Chair", starts_on=long_ago)
    mandate_grant(body=org.leadership, holder=treasurer, office="Treasurer", starts_on=long_ago)
    found = {(n.kind, n.title) for n in needs.needs_of(chair)}
    assert ("report", "Write your accountability report as Chair") in found
    assert any(kind == "report_overdue" and treasurer.display_name in t for kind, t in found)
    plain = make_member(unit=org.leeds)
    assert not [n for n in needs.needs_of(plain) if n.kind.startswith("report")]


def test_the_home_page_costs_the_same_with_ten_or_a_hundred_things_waiting(
    client, org, make_officer, django_assert_max_num_queries
):
    officer = make_officer(body=org.leadership, unit=org.leeds)
    for n in range(12):
        apply(org.leeds, n)
        open_vote(org.leadership, title=f"Vote {n}")
    client.force_login(officer)
    # The budget grows with the apps that add needs or links (interventions' assessments,
    # the home page's "Also here"): what must not grow is the cost with what is waiting.
    with django_assert_max_num_queries(48) as few:
        page = client.get(reverse("members:home")).content.decode()
    assert ("application", 2) in listed_kinds(page)  # ten listed, "2 more" in one line
    assert nav_badge(page, "Votes") == 12
    for n in range(12, 112):
        apply(org.leeds, n)
        open_vote(org.leadership, title=f"Vote {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("members:home")).content.decode()
    assert ("application", 102) in listed_kinds(page)
    assert nav_badge(page, "Votes") == 112


def test_a_page_shows_the_counts_the_home_found_and_otherwise_fetches_them_after_loading(
    client, org, make_member
):
    member = make_member(unit=org.leeds)
    open_vote(assembly_of(org.leeds), electorate=org.leeds)
    client.force_login(member)
    # Nothing remembered: the page asks no app, and the menu fetches the counts itself.
    page = client.get(reverse("rulebook:current")).content.decode()
    fetch = reverse("members:need_counts")
    assert f'hx-get="{fetch}"' in page
    assert nav_badge(page, "Votes") == 0
    counts = client.get(fetch).content.decode()
    assert re.search(
        r'id="need-count-voting-list" hx-swap-oob="true"> <span class="badge">1<', counts
    )
    # Now remembered for a minute: every page shows them, and fetches nothing.
    page = client.get(reverse("rulebook:current")).content.decode()
    assert nav_badge(page, "Votes") == 1
    assert f'hx-get="{fetch}"' not in page
    needs.forget(member.pk)
    assert f'hx-get="{fetch}"' in client.get(reverse("rulebook:current")).content.decode()
