"""A contribution's HTML is rendered once, when it is saved, and the debate page shows it as stored.

The debate page used to render every contribution's markdown on every view, so one slow text
held the page for everyone who opened it.
"""

import pytest
from django.apps import apps

from commonweal.core.markdown import render, render_existing
from commonweal.discussion import services
from commonweal.discussion.models import Contribution, Debate

pytestmark = pytest.mark.django_db


def debate_page(client, debate, member) -> str:
    client.force_login(member)
    return client.get(f"/discussion/debates/{debate.pk}/").content.decode()


def test_a_posted_contribution_is_stored_with_its_sanitised_html(debate, section_member):
    text = "Free buses **now**. <script>alert(1)</script> [more](javascript:alert(1))"
    contribution = services.contribution_post(
        debate=debate, author=section_member(), stance="for", text=text
    )

    stored = Contribution.objects.get(pk=contribution.pk).text_html
    assert stored == render(text)
    assert "<strong>now</strong>" in stored
    assert "<script" not in stored
    assert "javascript:" not in stored


def test_the_debate_page_shows_the_stored_html_instead_of_rendering_the_text(
    client, debate, section_member
):
    contribution = services.contribution_post(
        debate=debate, author=section_member(), stance="for", text="Rendered **once**"
    )
    Contribution.objects.filter(pk=contribution.pk).update(text_html="<p>as stored</p>")

    html = debate_page(client, debate, section_member())

    assert "<p>as stored</p>" in html
    assert "<strong>once</strong>" not in html


def test_an_edited_contribution_shows_its_new_html(client, debate, section_member):
    author = section_member()
    contribution = services.contribution_post(
        debate=debate, author=author, stance="for", text="Buses *sometimes*"
    )
    services.contribution_edit(contribution=contribution, editor=author, text="Buses **always**")

    html = debate_page(client, debate, section_member())

    assert "<strong>always</strong>" in html
    assert "<em>sometimes</em>" not in html


def test_rows_saved_before_the_html_was_stored_are_rendered_by_the_migration(
    debate, section_member
):
    contribution = services.contribution_post(
        debate=debate, author=section_member(), stance="for", text="Old *text*"
    )
    Contribution.objects.filter(pk=contribution.pk).update(text_html="")
    Debate.objects.filter(pk=debate.pk).update(description="Some *background*")

    render_existing("discussion", "contribution", "debate").code(apps, None)

    assert Contribution.objects.get(pk=contribution.pk).text_html == "<p>Old <em>text</em></p>\n"
    assert Debate.objects.get(pk=debate.pk).description_html == (
        "<p>Some <em>background</em></p>\n"
    )
