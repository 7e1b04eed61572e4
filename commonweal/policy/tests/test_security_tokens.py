"""An outside participant's invitation token travels in the API request's body, not its URL.

URLs end up in the web server's and the proxy's access logs; whoever reads those could
comment in the invited group's name until the consultation closes.
"""

import pytest

from commonweal.policy import services
from commonweal.policy.models import Comment

pytestmark = pytest.mark.django_db


def test_an_invited_group_comments_over_the_api_with_the_token_in_the_body(
    client, consulting, chair
):
    invitation = services.external_invite(
        proposal=consulting, by=chair, name="Better Buses", email="hello@betterbuses.example"
    )
    token = services.invitation_token_issue(invitation)
    paragraph = consulting.drafts.get().paragraphs.get(position=2)
    refused = client.post(
        "/api/policy/external/comments",
        {"token": "not-the-token", "paragraph_id": paragraph.pk, "text": "Yes!"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    response = client.post(
        "/api/policy/external/comments",
        {"token": token, "paragraph_id": paragraph.pk, "text": "Yes!"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert token not in response.request["PATH_INFO"]
    assert Comment.objects.get(paragraph=paragraph).external
    assert (
        client.post(
            f"/api/policy/external/{token}/comments",
            {"paragraph_id": paragraph.pk, "text": "Again"},
            content_type="application/json",
        ).status_code
        == 404
    )
