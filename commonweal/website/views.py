"""The public website: pages anyone can read without signing in.

Their content sits in fragment caches keyed by a generation number that moves on
whenever public content changes, so a busy home page costs no queries.
"""

from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.public_pages import cache_generation
from commonweal.core.signin import login_required
from commonweal.rulebook.labels import rulebook_as_read
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.rulebook.selectors import history as rulebook_history

from . import selectors, services
from .forms import SiteTextForm
from .sections import sections as public_sections


def _public(request, template: str, **context):
    context["generation"] = cache_generation()
    context["may_edit"] = request.user.has_perm("website.change_sitetext")
    return render(request, template, context)


def home(request):
    return _public(
        request,
        "website/home.html",
        about=partial(selectors.site_text, "about"),
        news=selectors.home_news,
        policies=selectors.home_policies,
        events=selectors.upcoming_public_events,
        sections=public_sections(),
    )


def text_page(request, slug: str):
    return _public(request, f"website/{slug}.html", text=partial(selectors.site_text, slug))


def constitution(request):
    """The rulebook in force and every version before it, with what each changed."""
    rulebook = current_rulebook()
    return render(
        request,
        "website/constitution.html",
        {
            "rulebook": rulebook,
            "sections": rulebook_as_read(rulebook.rules),
            "history": rulebook_history(),
        },
    )


def record_checkpoints(request):
    """The record's signed checkpoints and public key, for anyone to keep (docs/record.md)."""
    return render(
        request,
        "website/record_checkpoints.html",
        {
            "checkpoints": selectors.record_checkpoints(),
            "public_key": selectors.record_public_key(),
        },
    )


@login_required
def text_edit(request, slug: str):
    if slug not in selectors.EDITABLE_TEXTS or not request.user.has_perm("website.change_sitetext"):
        raise Http404
    text = selectors.site_text(slug)
    form = SiteTextForm(request.POST or None, initial={"title": text.title, "body": text.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.site_text_edit(slug=slug, edited_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(f"website:{slug}")
    return render(
        request,
        "website/text_edit.html",
        {"form": form, "slug": slug, "history": selectors.site_text_history(slug)[:50]},
    )
