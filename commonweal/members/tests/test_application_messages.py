"""What an officer is told after deciding an application."""

import pytest

from commonweal.members import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("decision", "said"), [("accept", "has been accepted."), ("decline", "has been declined.")]
)
def test_the_officer_is_told_whose_application_was_decided(
    client, org, make_officer, decision, said
):
    application = services.member_apply(
        email="ana@example.org",
        full_name="Ana Costa",
        unit=org.leeds,
        password="correct horse battery",
        statement="Transport!",
    )
    client.force_login(make_officer(org.leeds))
    page = client.post(
        f"/members/applications/{application.pk}/decide/",
        {"decision": decision, "reason": "Not a member of another party."},
        follow=True,
    ).content.decode()
    assert f"Ana Costa {said}" in page
    assert "%(name)s" not in page
