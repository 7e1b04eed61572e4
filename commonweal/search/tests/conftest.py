import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from commonweal.core import clock

# Every item of the corpus holds this word, so one search asks about every kind at once.
COMMON = "zebracrossing"


@dataclass
class Corpus:
    """One item of every kind, most of them Leeds's own, and the people who look for them."""

    items: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)


def publish_policy(section, title: str, text: str):
    """A published policy, as the policy process's last step leaves one (its publication is
    a private step of approval), indexed as that step indexes it."""
    from commonweal.policy.models import Policy, PolicyVersion
    from commonweal.search.services import index

    policy = Policy.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-")[:100],
        section=section,
        published_at=clock.now(),
    )
    PolicyVersion.objects.create(
        policy=policy, number=1, title=title, text=text, published_at=clock.now()
    )
    index("policy.policy", policy.pk)
    return policy


@pytest.fixture
def corpus(org, make_member, make_officer):
    from commonweal.decisions.services import decision_record
    from commonweal.discussion.services import debate_open
    from commonweal.interventions import services as interventions
    from commonweal.library import samples
    from commonweal.library.services import document_add
    from commonweal.meetings.services import meeting_schedule, minutes_write
    from commonweal.members.models import Member
    from commonweal.news.services import news_publish
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add
    from commonweal.policy.services import proposal_create
    from commonweal.rulebook.selectors import current

    now = clock.now()
    assembly = assembly_of(org.leeds)
    chair = make_officer(org.leeds, full_name="Chris Chair")
    secretary = make_officer(body=assembly, role="secretary", unit=org.leeds)
    member = make_member(unit=org.leeds, full_name="Mo Member")
    body_membership_add(body=assembly, member=member)
    c = Corpus()
    c.people = {
        "member": member,
        "chair": chair,
        "other_branch": make_member(unit=org.brighton, full_name="Bo Brighton"),
        "officer_elsewhere": make_officer(org.brighton, full_name="Eli Elsewhere"),
        "regional_officer": make_officer(org.north, full_name="Nor North"),
        "suspended": make_member(unit=org.leeds, status=Member.Status.SUSPENDED),
        "external": make_member(unit=None, status=Member.Status.EXTERNAL),
        "admin": make_member(unit=org.york, is_staff=True, is_superuser=True),
    }
    i = c.items
    i["policy.proposal"] = proposal_create(
        author=member,
        section=org.transport,
        title=f"Cheaper tram fares {COMMON}",
        text="Fares for trams should fall for everyone.",
    )
    i["policy.policy"] = publish_policy(
        org.transport, f"Buses for all {COMMON}", "Every village gets a bus twice a day."
    )
    i["decisions.decision"] = decision_record(
        kind="motion",
        title=f"Support the drivers {COMMON}",
        text="The branch backs the strike.",
        body=assembly,
        rulebook_version=current().version,
        recorded_by=chair,
    )
    meeting = meeting_schedule(
        body=assembly,
        kind="in_person",
        title="Branch meeting",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        place="Leeds",
        scheduled_by=chair,
    )
    i["meetings.minutes"] = minutes_write(
        meeting=meeting, text=f"We agreed the {COMMON} campaign.", written_by=secretary
    )
    i["discussion.debate"] = debate_open(
        space_unit=org.leeds,
        question=f"Should we picket the depot {COMMON}?",
        description="At dawn or at noon?",
        opened_by=chair,
    )
    i["news.newsitem"] = news_publish(
        author=chair, title=f"Branch news {COMMON}", body="We met and agreed.", unit=org.leeds
    )
    upload = io.BytesIO(samples.pdf("minutes"))
    upload.name = "leaflet.pdf"
    i["library.document"] = document_add(
        body=assembly,
        title=f"Depot leaflet {COMMON}",
        description="The leaflet we hand out.",
        file=upload,
        uploaded_by=chair,
    )
    struggle = interventions.struggle_create(
        by=chair, title="Bus strike", kind="strike", unit=org.leeds, since=now.date()
    )
    intervention = interventions.intervention_plan(
        struggle=struggle,
        body=assembly,
        by=chair,
        title="Leaflet the depot",
        kind="leaflet",
        aims="Reach the drivers.",
        assess_on=now.date() + timedelta(days=30),
    )
    interventions.intervention_start(intervention=intervention, by=chair)
    interventions.intervention_report(intervention=intervention, by=chair, report="Done.")
    assessment = interventions.intervention_assess(
        intervention=intervention,
        by=chair,
        worked="Leaflets taken.",
        failed="Rain.",
        why="Weather.",
        lessons=[{"title": f"Leaflet before dawn {COMMON}", "text": "Go early.", "shared": False}],
    )
    i["interventions.lesson"] = assessment.lessons.get()
    return c
