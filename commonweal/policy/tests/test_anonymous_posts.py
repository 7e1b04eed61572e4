"""A visitor who is not signed in and sends a members' form is asked to sign in, and
nothing they sent is acted on."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from commonweal.policy import services
from commonweal.policy.models import ScopeProposal
from commonweal.record.models import Entry


def test_an_anonymous_scope_answer_is_sent_to_sign_in_and_writes_nothing(launched, chair, author):
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares only.")
    entries = Entry.objects.count()
    url = reverse("policy:scope_answer", kwargs={"pk": scope.pk})

    response = Client().post(url, {"answer": "agree"})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == resolve_url(settings.LOGIN_URL)
    [back] = parse_qs(location.query)["next"]
    assert back.startswith("/")
    scope.refresh_from_db()
    launched.refresh_from_db()
    assert scope.answer == ScopeProposal.Answer.PENDING
    assert launched.scope_areas != "Fares only."
    assert Entry.objects.count() == entries


def test_after_signing_in_a_form_posted_signed_out_returns_to_its_page(launched, chair, author):
    """The answer address only takes POST: coming back to it would be a 405. The visitor
    returns to the page the form was on; a Referer from another site is not followed."""
    scope = services.scope_propose(proposal=launched, by=chair, areas="Fares only.")
    url = reverse("policy:scope_answer", kwargs={"pk": scope.pk})
    page = reverse("policy:proposal", kwargs={"pk": launched.pk})

    def back_to(referer: str) -> str:
        response = Client().post(url, {"answer": "agree"}, HTTP_REFERER=referer)
        [back] = parse_qs(urlsplit(response["Location"]).query)["next"]
        return back

    assert back_to(f"http://testserver{page}?tab=scope") == f"{page}?tab=scope"
    assert back_to("https://elsewhere.example/phish") == "/"
