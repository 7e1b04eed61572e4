"""Every printed demo login's home: what "What needs you" and the menu count is what the
apps' own selectors say awaits that member."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from commonweal.core import clock
from commonweal.decisions.models import Action
from commonweal.decisions.selectors import actions_of_member
from commonweal.meetings.selectors import NEEDS_HORIZON_DAYS, meetings_for_member, missing_reports
from commonweal.members import needs
from commonweal.members.management.commands.demo_logins import DEMO_ROLES
from commonweal.members.models import Member
from commonweal.members.selectors import applications_awaiting
from commonweal.organisation.models import Body
from commonweal.organisation.selectors import officer_body_ids
from commonweal.policy.selectors import stalled
from commonweal.voting.models import Vote
from commonweal.voting.selectors import has_voted, may_vote

from .test_needs import listed_kinds, nav_badge

pytestmark = pytest.mark.django_db


def expected(member: Member) -> dict[str, int]:
    """What awaits the member, asked of each app's own selectors one object at a time."""
    now = clock.now()
    votes = [
        vote
        for vote in Vote.objects.filter(state=Vote.State.OPEN, closes_at__gt=now)
        if may_vote(member, vote) and not has_voted(member, vote)
    ]
    meetings = meetings_for_member(member).filter(
        opens_at__lte=now + timedelta(days=NEEDS_HORIZON_DAYS)
    )
    actions = set(actions_of_member(member).values_list("pk", flat=True)) | set(
        Action.objects.filter(owner_body_id__in=officer_body_ids(member))
        .exclude(status=Action.Status.DONE)
        .values_list("pk", flat=True)
    )
    return {
        "vote": len(votes),
        "meeting": meetings.count(),
        "application": applications_awaiting(member).count(),
        "action": len(actions),
    }


def shown(page: str) -> dict[str, int]:
    counts: Counter = Counter()
    for kind, n in listed_kinds(page):
        counts["meeting" if kind == "econference" else kind] += n
    return counts


@pytest.mark.parametrize("email", [email for email, _role in DEMO_ROLES])
def test_each_printed_login_is_shown_what_the_selectors_say_awaits_them(client, email):
    call_command("load_demo", members=200, stdout=io.StringIO())
    member = Member.objects.get(email=email)
    client.force_login(member)
    page = client.get(reverse("members:home")).content.decode()
    if not member.is_member:
        # The applicant waits for a decision and is asked for nothing.
        assert 'id="what-needs-me"' not in page
        assert needs.needs_of(member) == []
        return
    on_page = shown(page)
    for kind, n in expected(member).items():
        assert on_page.get(kind, 0) == n, (email, kind)
    everything = needs.needs_of(member)
    own = [need for need in everything if not need.overview]
    assert sum(on_page.values()) == sum(need.count for need in own)
    assert nav_badge(page, "Home") == sum(on_page.values())
    assert nav_badge(page, "Votes") == expected(member)["vote"]
    overview = {need.kind: need.count for need in everything if need.overview}
    if email.startswith("admin@"):
        # The national officer also sees the organisation's figures.
        assert (
            overview["votes_open"]
            == Vote.objects.filter(state=Vote.State.OPEN, closes_at__gt=clock.now()).count()
        )
        assert overview["stalled"] == stalled().count()
        assert overview["actions_overdue"] == sum(
            action.is_overdue(clock.now().date()) for action in Action.objects.all()
        )
        assert overview["reports_overdue"] == sum(
            len(missing_reports(body)) for body in Body.objects.all()
        )
        assert overview["reports_overdue"] > 0
        assert 'id="organisation-overview"' in page
    else:
        assert overview == {}
        assert 'id="organisation-overview"' not in page
    if email.startswith("member@"):
        assert on_page["application"] == 0
        assert not [kind for kind in on_page if kind.startswith("report")]
