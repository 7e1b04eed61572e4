"""One small organisation with a real object of every kind a URL can name, and eight roles.

The roles are the authorisation matrix's columns; the objects fill in URL parameters.
Everything is built through the apps' services, so each object is in a state a real
organisation reaches. The officer holds office in every body the objects belong to
(the Leeds assembly and the transport section); "officer elsewhere" chairs Brighton.
"""

import copy
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail

from commonweal.core import clock
from conftest import TOTP_SECRET

# Carried by the title of every object only members of the organisation may see, so a
# page that leaks one to an applicant, an outsider or the public can be caught.
INTERNAL = "zq-internal"
ROLES = [
    "anonymous",
    "applicant",
    "other_branch",
    "member",
    "officer",
    "officer_elsewhere",
    "external",
    "admin",
]


@dataclass
class World:
    roles: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def _rulebook(**policy: Any) -> None:
    from commonweal.rulebook.selectors import current
    from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

    rules = copy.deepcopy(current().rules)
    rules["policy"].update(policy)
    rulebook_bring_into_force(version=rulebook_stage(rules=rules, staged_by=None))


def build(org: Any, make_member: Any, make_officer: Any, run_worker: Any) -> World:
    from commonweal.decisions import services as decisions
    from commonweal.decisions.models import MinorityPosition
    from commonweal.discussion import services as discussion
    from commonweal.library import samples
    from commonweal.library import services as library
    from commonweal.meetings import services as meetings
    from commonweal.members import services as members
    from commonweal.members.models import Member
    from commonweal.news import services as news
    from commonweal.notifications import services as notifications
    from commonweal.notifications.models import Notification
    from commonweal.organisation import services as organisation
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import assembly_of
    from commonweal.policy import services as policy
    from commonweal.policy.models import Policy
    from commonweal.rulebook.selectors import current
    from commonweal.voting import models as voting_models
    from commonweal.voting import services as voting
    from commonweal.voting.models import Vote

    _rulebook(support_threshold_kind="absolute", support_threshold=3)
    w = World()
    now = clock.now()
    assembly = assembly_of(org.leeds)

    officer = make_officer(org.leeds, full_name="Olu Officer")
    organisation.body_membership_add(
        body=org.transport, member=officer, role=BodyMembership.Role.CHAIR
    )
    member = make_member(unit=org.leeds, full_name="Mo Member")
    organisation.body_membership_add(body=assembly, member=member)
    # A member whose profile a spreadsheet would run, for the members list download.
    make_member(
        unit=org.leeds,
        full_name=f'=HYPERLINK("https://evil.example","Fay") {INTERNAL}',
        capacities=["+1+1", "-2"],
        show_email=True,
    )
    application = members.member_apply(
        email="applicant@example.org",
        full_name="Ada Applicant",
        unit=org.leeds,
        password="an applicant's password",
        statement="+cmd|' /C calc'!A0",
    )
    admin = make_member(unit=org.york, full_name="Ari Admin", is_staff=True, is_superuser=True)
    TOTP.activate(admin, TOTP_SECRET)  # administrators, like officers, use two factors
    w.roles = {
        "anonymous": None,
        "applicant": application.applicant,
        "other_branch": make_member(unit=org.brighton, full_name="Bo Brighton"),
        "member": member,
        "officer": officer,
        "officer_elsewhere": make_officer(org.brighton, full_name="Eli Elsewhere"),
        "external": make_member(unit=None, status=Member.Status.EXTERNAL, full_name="Ex Ternal"),
        "admin": admin,
    }
    for role, person in w.roles.items():
        if person is not None:
            w.tokens[role] = members.api_token_create(member=person, name="matrix", scope="write")[
                1
            ]
    token, _key = members.api_token_create(
        member=member, name="the member's other token", scope="write"
    )
    o = w.objects
    o.update(
        unit=org.leeds,
        body=assembly,
        section=org.transport,
        application=application,
        profile=member,
        token=token,
    )
    # A members list the Leeds officer has uploaded, waiting for their confirmation.
    from commonweal.members.services import imports

    o["member_import"] = imports.member_import_upload(
        actor=officer,
        unit=org.leeds,
        name="members.csv",
        data=b"Name,Email\nNew Person,new.person@example.org\n",
    )

    # The policy process: one proposal in consultation, one published policy.
    supporters = [make_member(unit=org.york) for _ in range(3)]

    def through_consultation(title: str):
        proposal = policy.proposal_create(
            author=member, section=org.transport, title=title, text=f"Buses, **fares**. {INTERNAL}"
        )
        for supporter in supporters:
            proposal = policy.proposal_support(proposal=proposal, member=supporter)
        scope = policy.scope_propose(proposal=proposal, by=officer, areas="Fares.")
        policy.scope_answer(scope=scope, by=member, agree=True)
        proposal.refresh_from_db()
        circulation = proposal.circulations.get(unit=org.leeds)
        contribution = policy.contribution_add(
            circulation=circulation, author=member, text="Free fares under 25."
        )
        policy.drafting_start(proposal=proposal, by=officer, reason="Leeds has reported.")
        policy.draft_save(
            proposal=proposal,
            by=officer,
            paragraphs=[{"text": "Fares are free under 25.", "cites": [contribution.pk]}],
        )
        policy.draft_save(
            proposal=proposal, by=officer, paragraphs=[{"text": "Fares are free.", "cites": []}]
        )
        return policy.consultation_open(proposal=proposal, by=officer), scope, circulation

    proposal, scope, circulation = through_consultation(f"A transport policy {INTERNAL}")
    policy.external_invite(
        proposal=proposal, by=officer, name="Better Buses", email="hello@buses.example"
    )
    # The published one ran its consultation a month ago and its amendments until now.
    with clock.frozen(now - timedelta(days=40)):
        published, _scope, _circulation = through_consultation("A published policy")
    with clock.frozen(now - timedelta(days=15)):
        policy.final_draft(proposal=published, by=officer)
    approval = policy.approval_call(proposal=published, by=officer, closes_at=now + timedelta(1))
    approval_vote = Vote.objects.get(pk=approval.vote_id)
    for voter in supporters:
        voting.ballot_cast(vote=approval_vote, voter=voter, ranking=["yes"])
    voting.vote_close(vote=approval_vote)
    o.update(
        econference=approval.meeting_id,
        proposal=proposal,
        scope=scope,
        circulation=circulation,
        draft_number=proposal.drafts.order_by("number").last().number,
        paragraph=proposal.drafts.order_by("number").last().paragraphs.first(),
        policy=Policy.objects.get(),
    )

    # Meetings, mandates, accountability and recall.
    meeting = meetings.meeting_schedule(
        body=assembly,
        kind="online",
        video_url="https://meet.example.org/leeds",
        title=f"Branch meeting {INTERNAL}",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
        scheduled_by=officer,
    )
    meeting = meetings.meeting_open(meeting=meeting, opened_by=officer)
    item = meetings.agenda_item_add(
        meeting=meeting, kind="motion", title=f"Bus motion {INTERNAL}", added_by=officer
    )
    motion = meetings.motion_table(item=item, text="We back free buses.", tabled_by=member)
    mandate = organisation.mandate_grant(
        body=assembly, holder=officer, office="Branch secretary", granted_by=None
    )
    meetings.report_file(mandate=mandate, text="What I did this year.", filed_by=officer)
    recall = meetings.recall_start(mandate=mandate, reason="Missed meetings.", started_by=member)
    o.update(meeting=meeting, item=item, motion=motion, mandate=mandate, recall=recall)
    # An item the transport section refers down to the branch, waiting for its answer.
    o["referral"] = organisation.referral_create(
        from_body=org.transport,
        to_body=assembly,
        title=f"Bus fares {INTERNAL}",
        text="What do members in Leeds pay?",
        referred_by=officer,
    )

    # A vote of the branch, open.
    vote = voting.vote_create(
        title=f"Branch banner colour {INTERNAL}",
        body=assembly,
        method="approval",
        candidates=["red", "green"],
        electorate=org.leeds,
        closes_at=now + timedelta(days=1),
        created_by=officer,
    )
    o["vote"] = voting.vote_open(vote=vote, opened_by=officer)

    # Decisions and their actions.
    decision = decisions.decision_record(
        kind="motion",
        title=f"We campaign for buses {INTERNAL}",
        text="Resolved.",
        subject="@SUM(1+1) buses",  # a spreadsheet formula, for the register's download
        body=assembly,
        rulebook_version=current().version,
        recorded_by=officer,
    )
    action = decisions.action_add(
        decision=decision,
        what='=HYPERLINK("https://evil.example","Write to the council")',  # a spreadsheet formula
        owner_member=officer,
        due_on=now.date() + timedelta(days=30),
        added_by=officer,
    )
    # A minority position held for review (under a rulebook asking for it), to publish.
    minority_position = MinorityPosition.objects.create(
        decision=decision, text="We dissent.", author=member, attached_at=now
    )
    o.update(decision=decision, action=action, minority_position=minority_position)

    # Discussion: a debate with a hidden contribution under appeal, a map, a check, a tendency.
    debate = discussion.debate_open(
        space_body=assembly, question=f"Free buses? {INTERNAL}", opened_by=member
    )
    contribution = discussion.contribution_post(
        debate=debate, author=member, stance="for", text="@SUM(1+1) Yes, for everyone."
    )
    hidden = discussion.contribution_post(
        debate=debate, author=member, stance="against", text="A rude remark."
    )
    discussion.contribution_hide(contribution=hidden, moderator=officer, reason="Rude.")
    appeal = discussion.appeal_lodge(contribution=hidden, author=member, grounds="Not rude.")
    opinion_map = discussion.opinion_map_open(debate=debate, opened_by=officer)
    statement = discussion.statement_add(
        opinion_map=opinion_map, author=member, text="Buses should be free."
    )
    check = discussion.check_open(
        space_body=assembly, statement=f"We meet monthly. {INTERNAL}", opened_by=officer
    )
    tendency = discussion.tendency_form(
        name="Green Left", platform="A greener party.", founded_by=member
    )
    o.update(
        debate=debate,
        contribution=contribution,
        appeal=appeal,
        statement=statement,
        check=check,
        tendency=tendency,
    )

    # Notifications: one for the member, and their unsubscribe link.
    notifications.notify(kind="news.published", title="Hello", members=[member])
    run_worker()
    # The invitation's link exists only in its email (the worker makes its token).
    (invitation_email,) = [m for m in mail.outbox if m.to == ["hello@buses.example"]]
    o["external_token"] = re.search(r"/policy/external/([^/\s]+)/", invitation_email.body)[1]
    o["notification"] = Notification.objects.filter(recipient=member).first()
    o["unsubscribe_token"] = notifications.unsubscribe_token(
        member_id=member.pk, categories=["news"]
    )

    # News, the branch board, the calendar feed.
    o["news"] = news.news_publish(
        author=officer, title=f"Branch news {INTERNAL}", body="We met.", unit=org.leeds
    )
    o["notice"] = news.notice_post(
        author=member,
        unit=org.leeds,
        title=f"Bike for sale {INTERNAL}",
        text="Blue.",
        expires_on=now.date() + timedelta(days=7),
    )
    o["calendar_secret"] = news.calendar_feed_renew(member=member)[1]

    # The branch library.
    upload = io.BytesIO(samples.pdf("minutes"))
    upload.name = "minutes.pdf"
    o["document"] = library.document_add(
        body=assembly, title=f"Branch minutes {INTERNAL}", file=upload, uploaded_by=officer
    )
    o["version_number"] = o["document"].versions.get().number

    # The capacities register: the member offers to help; the officer answers.
    o["offer"] = members.offer_make(member=member, title=f"Translate leaflets {INTERNAL}")

    # A struggle of Leeds, an intervention its assembly planned, a spontaneous action reported.
    from commonweal.interventions import services as interventions

    struggle = interventions.struggle_create(
        by=officer, title=f"Bus strike {INTERNAL}", kind="strike", unit=org.leeds, since=now.date()
    )
    o["intervention"] = interventions.intervention_plan(
        struggle=struggle,
        body=assembly,
        by=officer,
        title=f"Depot leaflet {INTERNAL}",
        kind="leaflet",
        aims="Reach the drivers.",
        assess_on=now.date() + timedelta(days=30),
    )
    o["struggle"] = struggle
    o["spontaneous_action"] = interventions.spontaneous_action_report(
        by=member, unit=org.leeds, what=f"A walk-out {INTERNAL}", seen_on=now.date()
    )

    # Training: the training department (the officer writes courses in it) publishes a
    # course to the North; the member takes it in the officer's cohort and has written a
    # reflection (read by the member and the tutor only).
    from datetime import date

    from commonweal.organisation.models import Body
    from commonweal.training import services as training

    department = organisation.body_create(
        name="Training Department", kind=Body.Kind.DEPARTMENT, unit=org.nation
    )
    organisation.body_membership_add(body=department, member=officer)
    course = training.course_create(
        actor=officer, body=department, unit=org.north, title=f"Chairing {INTERNAL}"
    )
    training.module_save(actor=officer, course=course, title="Agendas", text="Plan.")
    module = training.module_save(
        actor=officer,
        course=course,
        title="Speakers",
        reflection_prompt="Who spoke least?",
        check=[{"prompt": "Who speaks first?", "choices": ["Chair", "Mover"], "correct": 1}],
    )
    training.course_publish(actor=officer, course=course)
    course.refresh_from_db()
    cohort = training.cohort_create(
        actor=officer,
        course=course,
        name=f"Cohort {INTERNAL}",
        tutor=officer,
        starts_on=date(2026, 1, 5),
    )
    enrolment = training.enrol(actor=member, course=course, cohort=cohort)
    training.module_done(
        actor=member, enrolment=enrolment, module=course.current_version.modules.get(position=1)
    )
    o["reflection"] = training.reflection_write(
        actor=member, enrolment=enrolment, module=module, text=f"Me {INTERNAL}"
    )
    o["course"], o["cohort"], o["module_position"] = course, cohort, 2
    # The officer has started a draft of version 2 (the author's pages edit it).
    draft = training.course_draft(actor=officer, course=course)
    from commonweal.training.models import ModuleCase

    o["module_case"] = ModuleCase.objects.create(
        module=draft.modules.get(position=2),
        kind="interventions.assessment",
        object_id=o["intervention"].pk,
        attached_at=now,
    )
    o["version_number"] = 1
    o["enrolment"] = enrolment
    # Outside organisations: the Leeds branch's alliance with the group invited to comment
    # above (so the invitation is linked to it), a contact person, a published statement.
    from commonweal.alliances import services as alliances

    ally = alliances.organisation_create(
        actor=officer,
        unit=org.leeds,
        name="Better Buses",
        kind="campaign",
        country="GB",
        description=f"Bus users. {INTERNAL}",
        status="alliance",
    )
    relationship = ally.relationships.get()
    o["contact_person"] = alliances.contact_person_add(
        actor=officer,
        relationship=relationship,
        name=f"Cat Contact {INTERNAL}",
        email="cat@buses.example",
        consent_to="to be emailed about joint campaigns",
        consent_on=now.date(),
    )
    statement = alliances.joint_statement_draft(
        actor=officer,
        relationship=relationship,
        texts=[{"language": "en", "title": "Buses for all", "text": "Together."}],
    )
    # Agreed by the branch's vote (the rulebook's default): a motion at a meeting of its
    # own (closed after the vote, so the world's open meeting keeps its attendance), carried.
    statement_meeting = meetings.meeting_open(
        meeting=meetings.meeting_schedule(
            body=assembly,
            kind="online",
            video_url="https://meet.example.org/leeds",
            title=f"Statement meeting {INTERNAL}",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=2),
            scheduled_by=officer,
        ),
        opened_by=officer,
    )
    statement_motion = alliances.joint_statement_put_to_meeting(
        actor=officer, statement=statement, meeting=statement_meeting
    )
    for person in (officer, member):
        meetings.attendance_register(meeting=statement_meeting, member=person)
    meetings.motion_put_to_vote(
        motion=statement_motion, chair=officer, closes_at=now + timedelta(minutes=30)
    )
    statement_vote = voting_models.Vote.objects.get(
        pk=type(statement_motion).objects.get(pk=statement_motion.pk).vote_id
    )
    for person in (officer, member):
        voting.ballot_cast(vote=statement_vote, voter=person, ranking=["yes"])
    voting.vote_close(vote=statement_vote, closed_by=officer)
    meetings.meeting_close(meeting=statement_meeting, closed_by=officer)
    o.update(
        ally=ally,
        relationship=relationship,
        joint_statement=alliances.joint_statement_publish(actor=officer, statement=statement),
    )
    # Development: the member's plan, shared with the officers, and a request for a mentor.
    from commonweal.development import services as development

    plan = development.plan_save(
        member=member, aims=f"Chair well {INTERNAL}", share_with_officers=True
    )
    goal = development.goal_add(member=member, plan=plan, title=f"Chair a meeting {INTERNAL}")
    o["plan"], o["goal"] = plan, goal
    o["step"] = development.step_add(member=member, goal=goal, title="Take the course")
    o["mentoring"] = development.mentoring_ask(member=member, note=f"Speaking {INTERNAL}")
    # A Leeds member an officer may name as the mentor (the API's body carries its id).
    o["mentor"] = make_member(unit=org.leeds)

    # Mobilisation: the Leeds branch's open petition and a signer's emailed link.
    from commonweal.mobilisation import services as mobilisation

    petition = mobilisation.action_create(
        actor=officer,
        unit=org.leeds,
        kind="petition",
        title="Save the night bus",
        target="The transport authority",
        goal=100,
    )
    o["petition"] = mobilisation.action_open(actor=officer, action=petition)
    with clock.frozen(now - timedelta(minutes=1)):
        started = mobilisation.form_started()
    mobilisation.signup_sign(
        action=o["petition"],
        name="Sam Signer",
        email="sam@signer.example",
        postcode="LS6 1AA",
        started=started,
    )
    o["signup"] = o["petition"].signups.get()
    o["signup_token"] = mobilisation.signup_token(o["signup"])
    o["consent_purpose"] = "campaign"
    o["mobilisation_event"] = mobilisation.action_open(
        actor=officer,
        action=mobilisation.action_create(
            actor=officer,
            unit=org.leeds,
            kind="demonstration",
            title="March for the night bus",
            place="City Square",
            starts_at=now + timedelta(days=7),
        ),
    )
    o["march"] = mobilisation.action_create(
        actor=officer,
        unit=org.leeds,
        kind="demonstration",
        title="March for the buses",
        starts_at=now + timedelta(days=9),
        place="The bus station",
    )
    mobilisation.action_open(actor=officer, action=o["march"])
    o["unit_place"] = mobilisation.place_add(
        actor=officer, unit=org.leeds, kind="postcode", value="LS6"
    )
    o["site_text"] = "about"
    o["rulebook_number"] = current().version
    return w
