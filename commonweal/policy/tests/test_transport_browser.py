"""The seed's worked example, end to end, as members live it: an amended transport policy.

One long walk in a real browser at phone width, with an accessibility scan on each main
page: a member proposes, members support it over the threshold, the transport section
scopes it with the proposer, two units discuss it (one talks to an outside group), the
section drafts from their contributions with citations, the campaign group that prompted
it comments through its emailed invitation, a member's amendment is voted on first, the
e-conference approves the text, and the public website publishes it with its decision, its
history and a minority position beside it.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from commonweal.core import clock
from commonweal.policy import services
from commonweal.policy.models import (
    Amendment,
    Approval,
    Comment,
    Contribution,
    Policy,
    PolicyVersion,
    Proposal,
    Stage,
)
from commonweal.voting.models import Vote
from commonweal.voting.services import vote_close, votes_sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGN = "Better Buses Campaign"


@pytest.fixture
def transport_policy(org):
    """The policy in force that the proposal amends (published long before the test)."""
    published = clock.now() - timedelta(days=400)
    policy = Policy.objects.create(
        title="Transport",
        slug="transport",
        summary="Buses and trains.",
        section=org.transport,
        published_at=published,
    )
    PolicyVersion.objects.create(
        policy=policy,
        number=1,
        title="Transport",
        text="Buses are run by private operators under licence.\n\nFares are set by operators.",
        published_at=published,
    )
    return policy


def test_the_transport_example_from_proposal_to_the_public_website(
    live_server,
    page,
    axe,
    sign_in,
    run_worker,
    org,
    threshold,
    no_two_factor,
    author,
    chair,
    make_member,
    make_officer,
    transport_policy,
    days_pass,
):
    base = live_server.url

    def as_member(member):
        page.context.clear_cookies()
        sign_in(page, base, member.email)

    def open_as(member):
        """Sign in as the member and open the proposal's page."""
        as_member(member)
        page.goto(f"{base}/policy/{proposal.pk}/")

    def scan():
        assert axe(page) == [], page.url

    def main():
        return page.inner_text("main")

    def click(name):
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    # 1. Proposal: a member makes the case for amending the transport policy.
    as_member(author)
    page.goto(f"{base}/policy/")
    scan()
    with page.expect_navigation():
        page.get_by_role("link", name="Make a proposal").click()
    scan()
    page.select_option("#id_section", label="Transport Section")
    page.fill("#id_title", "Buses for people, not profit")
    page.fill(
        "#id_text",
        "Our transport policy leaves the buses to private operators. After a year of "
        "meetings with the **Better Buses Campaign** I propose we renew it: public "
        "ownership, capped fares, and evening routes.",
    )
    page.select_option("#id_amends", label="Transport")
    page.fill("#id_prompted_by", CAMPAIGN)
    click("Post on the board")
    proposal = Proposal.objects.get()
    assert page.url.endswith(f"/policy/{proposal.pk}/")
    assert f"Prompted by discussion with {CAMPAIGN}." in main()
    assert "0 of 3 supporters" in main()
    scan()
    page.goto(f"{base}/policy/?q=not+profit")
    assert "Buses for people, not profit" in main()

    # 2. Support: two members have supported; the third crosses the threshold on the page.
    for unit in (org.york, org.brighton):
        services.proposal_support(proposal=proposal, member=make_member(unit=unit))
    supporter = make_member(unit=org.brighton, full_name="Sam Okafor")
    open_as(supporter)
    assert "2 of 3 supporters" in main()
    click("Support this proposal")
    assert "Thank you: your support is counted." in main()
    assert page.inner_text('ol.stepper li[aria-current="step"] .step-name') == "Scoping"
    page.get_by_role("link", name="Timeline").click()
    assert "3 supporters reached the threshold of 3" in main()
    scan()

    # 3. Scoping: the section suggests the areas, the proposer agrees.
    open_as(chair)
    page.fill("#id_areas", "1. Ownership of the bus network\n2. Fares\n3. Evening routes")
    click("Suggest these areas to the proposer")
    assert "Waiting on the proposer for 0 days." in main()
    scan()
    open_as(author)
    click("I agree")
    assert "Agreed: the proposal is now in circulation." in main()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CIRCULATION

    # 4. Circulation: Leeds and York discuss it; York talks to a local bus users' group.
    leeds_member = make_member(unit=org.leeds, full_name="Priya Shah")
    york_member = make_member(unit=org.york, full_name="Tom Reed")
    leeds_officer = make_officer(org.leeds, two_factor=False, full_name="Lena Berg")
    york_officer = make_officer(org.york, two_factor=False, full_name="Omar Haddad")

    def contribute(member, unit_name, text):
        open_as(member)
        page.get_by_role("link", name=f"Discussion in {unit_name}", exact=True).click()
        page.fill("#id_text", text)
        page.locator("form:has(input[name=form][value=contribution])").get_by_role(
            "button", name="Add"
        ).click()
        page.wait_for_load_state()
        assert "Your contribution has been added." in main()

    contribute(leeds_member, "Leeds", "Night buses matter most to shift workers at the hospital.")
    scan()
    contribute(york_member, "York", "Fares should be capped at two pounds, then free.")
    open_as(york_officer)
    page.get_by_role("link", name="Discussion in York").click()
    page.fill("#id_outside-who", "York Bus Users' Group")
    page.fill("#id_outside-on", clock.now().date().isoformat())
    page.fill("#id_outside-text", "The last bus from the hospital leaves at 7pm.")
    click("Record")
    assert "The outside consultation has been recorded." in main()
    page.fill("#id_summary", "York backs public ownership and wants late buses to the hospital.")
    click("Report the agreed summary")
    assert "discussed" in main()
    scan()
    open_as(leeds_officer)
    page.get_by_role("link", name="Discussion in Leeds").click()
    page.fill("#id_summary", "Leeds agrees: night buses first.")
    click("Report the agreed summary")
    page.goto(f"{base}/policy/{proposal.pk}/circulation/")
    assert "Brighton" in main()
    scan()

    # 5. Drafting: the section composes the draft, citing the contributions it drew on.
    night = Contribution.objects.get(text__startswith="Night buses")
    outside = Contribution.objects.get(kind=Contribution.Kind.OUTSIDE)
    fares = Contribution.objects.get(text__startswith="Fares should")
    open_as(chair)
    click("Close circulation and start drafting")
    assert "Ending it now is ending it early" in main()
    assert "not reported yet" in main()
    scan()
    click("Close circulation")
    assert "Say why the circulation ends before its deadline" in main()
    page.fill("#id_reason", "The section meets on Monday; the branches that meant to, reported.")
    page.get_by_label("I understand this cannot be undone.").check()
    click("Close circulation")
    assert page.url.endswith(f"/policy/{proposal.pk}/draft/")
    page.fill(
        "#id_text",
        "Buses are brought back into public ownership, run by the councils.\n\n"
        f"Night buses run every half hour on hospital routes. [#{night.pk}] [#{outside.pk}]\n\n"
        f"Fares are capped, then free. [#{fares.pk}]",
    )
    page.fill("#id_note", "First draft from the units' contributions")
    click("Save this version")
    assert page.url.endswith(f"/policy/{proposal.pk}/draft/1/")
    assert f"#{outside.pk} (outside consultation, York)" in page.inner_text("#p2")
    scan()
    page.goto(f"{base}/policy/{proposal.pk}/draft/")
    assert "Taken up in draft 1, paragraph 2" in page.inner_text(f"#c{night.pk}")
    assert "Not (yet) taken up in a draft." in main()
    scan()

    # 6. Wider consultation: the campaign group is invited and comments as an outsider.
    page.goto(f"{base}/policy/{proposal.pk}/")
    click("Open the draft for consultation")
    with page.expect_navigation():
        page.get_by_role("link", name="Invite an outside group or person").click()
    scan()
    page.fill("#id_name", CAMPAIGN)
    page.fill("#id_email", "hello@betterbuses.example")
    click("Send the invitation")
    assert "An invitation is on its way to hello@betterbuses.example." in main()
    run_worker()
    [email] = [m for m in mail.outbox if m.to == ["hello@betterbuses.example"]]
    link = re.search(r"https?://\S+/policy/external/\S+/", email.body).group(0)
    page.context.clear_cookies()
    page.goto(base + urlsplit(link).path)
    assert f"Welcome, {CAMPAIGN}." in main()
    scan()
    page.fill("#p2 textarea", "Yes, and run them until midnight on Fridays.")
    page.locator("#p2").get_by_role("button", name="Comment").click()
    page.wait_for_load_state()
    assert "Thank you: your comment has been added." in main()
    assert Comment.objects.get().external
    as_member(chair)
    page.goto(f"{base}/policy/{proposal.pk}/draft/1/")
    external = page.inner_text("#p2 .comments li.external")
    assert external.startswith(f"external {CAMPAIGN}:")
    assert "Yes, and run them until midnight on Fridays." in external

    # 7. Approval: the section declares the final draft; a member takes up the campaign's
    # comment as an amendment, voted on first; then the e-conference approves the text.
    days_pass(15)
    page.goto(f"{base}/policy/{proposal.pk}/")
    click("Declare draft 1 the final draft")
    assert "invited outside group's link stops taking comments" in main()
    assert CAMPAIGN in main()
    scan()
    page.fill("#id_reason", "The annual conference is brought forward to next month.")
    page.get_by_label("I understand this cannot be undone.").check()
    click("Declare the final draft")
    assert "The latest draft is now the final draft" in main()
    run_worker()
    [closed] = [m for m in mail.outbox if "closed early" in m.subject]
    assert closed.to == ["hello@betterbuses.example"]
    assert "The annual conference is brought forward to next month." in closed.body
    page.context.clear_cookies()
    page.goto(base + urlsplit(link).path)
    assert "The consultation has closed" in main()
    assert "The annual conference is brought forward to next month." in main()
    scan()
    open_as(york_member)
    page.get_by_role(
        "link", name="Read the final draft and propose amendments to its paragraphs"
    ).click()
    page.locator("#p2 summary").click()
    page.fill(
        "#p2 textarea[name=text]",
        "Night buses run every half hour on hospital routes, until midnight on Fridays.",
    )
    page.locator("#p2").get_by_role("button", name="Propose this amendment").click()
    page.wait_for_load_state()
    assert "Your amendment is proposed" in main()
    scan()

    now = days_pass(8)
    open_as(chair)
    for field, days in (("amendments_close_at", 2), ("closes_at", 7)):
        moment = timezone.localtime(now + timedelta(days=days))
        page.fill(f"#id_{field}", moment.strftime("%Y-%m-%dT%H:%M"))
    click("Call the e-conference")
    assert "1 amendment has been proposed" in main()
    scan()
    page.fill("#id_reason", "The e-conference must finish before the annual conference.")
    page.get_by_label("I understand this cannot be undone.").check()
    click("Call the e-conference")
    assert "The e-conference is called; voting has opened." in main()
    assert "The amendments are voted on first" in main()
    scan()

    def vote(link, ballots):
        for member, choice in ballots:
            open_as(member)
            page.get_by_role("link", name=link).click()
            page.get_by_label(choice, exact=True).check()
            click("Cast my vote")
            page.wait_for_selector("#cast >> text=Your vote has been recorded")

    vote(
        "Vote on the amendment to paragraph 2",
        ((author, "Yes"), (supporter, "Yes"), (leeds_member, "Abstain")),
    )
    scan()
    [amendment] = Amendment.objects.all()
    vote_close(vote=Vote.objects.get(pk=amendment.vote_id))
    vote(
        "Vote on the final text: approve, reject or abstain",
        ((author, "Yes"), (supporter, "Yes"), (leeds_member, "No")),
    )
    approval = Approval.objects.get()
    with clock.frozen(approval.closes_at + timedelta(minutes=1)):
        assert votes_sweep()["closed"] == 1
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PUBLISHED

    # 8. Publication: the public website shows it, its decision and what it changed.
    page.context.clear_cookies()
    page.goto(f"{base}/policies/")
    scan()
    page.get_by_role("link", name="Transport", exact=True).click()
    text = main()
    assert "on hospital routes, until midnight on Fridays." in text
    assert "Approved by the decision: Policy approved: Buses for people, not profit" in text
    assert "What changed from version 1 to version 2" in text
    assert "Version 2" in text
    assert "Version 1" in text
    scan()
    public = page.url

    # Beside the decision: a member who voted against attaches a minority position, and
    # the public page shows it with the same prominence as the policy.
    open_as(leeds_member)
    assert "Approved and published: Transport" in main()
    page.get_by_role("link", name="Attach a minority position").click()
    page.fill("#id_text", "Capping fares is not enough: buses should be free from day one.")
    click("Attach")
    assert "Your minority position is published beside the decision." in main()
    beside = page.locator(".positions > .position")
    assert beside.count() == 2
    assert "free from day one" in beside.nth(1).inner_text()
    scan()
    page.context.clear_cookies()
    page.goto(public)
    positions = page.locator(".positions > .position")
    assert positions.count() == 2
    assert "buses should be free from day one" in positions.nth(1).inner_text()
    scan()
