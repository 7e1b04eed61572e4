import pytest

from commonweal.discussion import services
from commonweal.organisation.services import body_membership_add


@pytest.fixture
def section_member(org, make_member):
    """A member of the transport section who lives in Leeds."""

    def make(**fields):
        fields.setdefault("unit", org.leeds)
        member = make_member(**fields)
        body_membership_add(body=org.transport, member=member)
        return member

    return make


@pytest.fixture
def debate(org, section_member):
    opener = section_member()
    return services.debate_open(
        space_body=org.transport,
        question="Should buses be free at the point of use?",
        opened_by=opener,
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bulk_members(db):
    """Many members at once, without a password each (for opinion maps)."""
    from commonweal.members.models import Member

    counter = iter(range(10**6))

    def make(n: int, unit):
        batch = [
            Member(
                email=f"bulk{next(counter)}-{unit.pk}@example.org",
                full_name="Bulk Member",
                unit=unit,
                status=Member.Status.MEMBER,
            )
            for _ in range(n)
        ]
        return Member.objects.bulk_create(batch)

    return make
