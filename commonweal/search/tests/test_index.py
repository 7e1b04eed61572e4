"""The index the services keep as they write equals one rebuilt from the items themselves."""

import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.search import selectors
from commonweal.search.models import Entry
from commonweal.search.services import index_rebuild

pytestmark = pytest.mark.django_db

WORDS = ["tram", "bus", "depot", "strike", "fares", "cycling", "river", "leaflet", "rota"]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("decision"), text, text),
        st.tuples(st.just("news"), text, text),
        st.tuples(st.just("minutes"), text),
        st.tuples(st.just("withdraw"), st.integers(0, 5)),
        st.tuples(st.just("document"), text),
    ),
    min_size=1,
    max_size=8,
)


def snapshot() -> list[tuple]:
    return sorted(Entry.objects.values_list("kind", "object_id", "unit_id", "title", "text", "url"))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=steps)
def test_the_incremental_index_equals_a_rebuild(corpus, org, writes):
    from commonweal.decisions.services import decision_record
    from commonweal.library import samples
    from commonweal.library.models import Document
    from commonweal.library.services import document_add, document_withdraw
    from commonweal.meetings.services import minutes_write
    from commonweal.news.services import news_publish
    from commonweal.organisation.selectors import assembly_of
    from commonweal.rulebook.selectors import current

    chair = corpus.people["chair"]
    minutes = corpus.items["meetings.minutes"]
    secretary = minutes.written_by
    for step in writes:
        match step:
            case ("decision", title, body):
                decision_record(
                    kind="motion",
                    title=title,
                    text=body,
                    body=assembly_of(org.leeds),
                    rulebook_version=current().version,
                )
            case ("news", title, body):
                news_publish(author=chair, title=title, body=body, unit=org.leeds)
            case ("minutes", body):
                minutes_write(meeting=minutes.meeting, text=body, written_by=secretary)
            case ("document", title):
                upload = io.BytesIO(samples.pdf("minutes"))
                upload.name = "a.pdf"
                document_add(
                    body=assembly_of(org.leeds), title=title, file=upload, uploaded_by=chair
                )
            case ("withdraw", n):
                current_docs = list(Document.objects.filter(withdrawn_at=None).order_by("pk"))
                if current_docs:
                    document_withdraw(
                        document=current_docs[n % len(current_docs)],
                        officer=chair,
                        reason="Out of date now.",
                    )
    incremental = snapshot()
    index_rebuild()
    assert snapshot() == incremental


def test_a_withdrawn_document_is_no_longer_found(corpus):
    from commonweal.library.services import document_withdraw

    member = corpus.people["member"]
    document = corpus.items["library.document"]
    assert selectors.search(member, query="depot leaflet", kind="library.document").hits
    document_withdraw(document=document, officer=corpus.people["chair"], reason="Out of date now.")
    assert not selectors.search(member, query="depot leaflet", kind="library.document").hits


def test_the_command_rebuilds_after_the_index_was_lost(corpus, capsys):
    member = corpus.people["member"]
    before = snapshot()
    Entry.objects.all().delete()
    assert selectors.search(member, query="fares").hits == []
    call_command("search_rebuild")
    assert snapshot() == before
    assert "policy.proposal: 1" in capsys.readouterr().out
    assert selectors.search(member, query="fares").hits


def test_the_command_refuses_an_unknown_kind(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No such kind: policy\.nonsense"):
        call_command("search_rebuild", "policy.nonsense")


def test_without_full_text_search_the_like_fallback_still_ranks_and_filters(
    corpus, org, monkeypatch
):
    from commonweal.policy.services import proposal_create

    member = corpus.people["member"]
    mention = proposal_create(
        author=member,
        section=org.transport,
        title="Night services",
        text="More trains at night; and a word on the viaduct cycling route.",
    )
    headline = proposal_create(
        author=member,
        section=org.transport,
        title="The viaduct cycling route",
        text="Cycling across the viaduct.",
    )
    monkeypatch.setattr(selectors, "engine", lambda: "like")
    hits = selectors.search(member, query="Viaduct cycling").hits
    assert [h.object_id for h in hits] == [headline.pk, mention.pk]
    assert selectors.search(member, query="viaduct", kind="news.newsitem").hits == []
