import io

import pytest

from commonweal.library import samples, services
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import body_membership_add


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test stores its uploads in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.fixture
def library(org, make_member, make_officer):
    """The Leeds assembly's library: a chair, an ordinary Leeds member, outsiders from York."""
    from commonweal.members.models import Member

    class Library:
        pass

    lib = Library()
    lib.body = assembly_of(org.leeds)
    lib.chair = make_officer(org.leeds)
    lib.member = make_member(unit=org.leeds)
    body_membership_add(body=lib.body, member=lib.member, role=BodyMembership.Role.MEMBER)
    lib.neighbour = make_member(unit=org.leeds)
    lib.outsider = make_member(unit=org.york)
    lib.applicant = make_member(unit=org.leeds, status=Member.Status.APPLICANT)
    lib.add = lambda content=None, name="minutes.pdf", by=None, **kw: services.document_add(
        body=lib.body,
        title=kw.pop("title", "Branch minutes"),
        file=upload(content if content is not None else samples.pdf("minutes"), name),
        uploaded_by=by or lib.member,
        **kw,
    )
    return lib
