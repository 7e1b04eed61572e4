from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import holds_any_office

from . import ical, selectors, services
from .forms import ConfirmForm, NewsForm, NoticeForm, TakeDownForm
from .models import Notice


@login_required
def news_list(request):
    return render(
        request,
        "news/list.html",
        {
            "page_obj": paginate(request, selectors.news_for_member(request.user)),
            "may_publish": request.user.is_superuser or holds_any_office(request.user),
        },
    )


def public_list(request):
    return render(
        request, "news/public_list.html", {"page_obj": paginate(request, selectors.public_news())}
    )


def detail(request, pk: int):
    item = selectors.news_item(pk).first()
    if item is None or not request.user.has_perm("news.view_newsitem", item):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return render(request, "news/detail.html", {"item": item})


@login_required
def create(request):
    units, bodies = selectors.publishable_scopes(request.user)
    if not units and not bodies:
        raise Http404
    form = NewsForm(request.POST or None, units=units, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        kind, scope = form.cleaned_data["scope"]
        try:
            item = services.news_publish(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                unit=scope if kind == "unit" else scope.unit,
                body_scope=scope if kind == "body" else None,
                is_public=form.cleaned_data["is_public"],
                image_url=form.cleaned_data["image_url"],
                image_alt=form.cleaned_data["image_alt"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The news is published."))
            return redirect(item)
    return render(request, "news/create.html", {"form": form})


@login_required
def boards(request):
    try:
        policy_board = reverse("policy:board")
    except NoReverseMatch:
        policy_board = ""
    return render(
        request,
        "news/boards.html",
        {"units": selectors.boards_for_member(request.user), "policy_board": policy_board},
    )


@login_required
def board(request, unit_id: int):
    unit = get_visible_or_404(request.user, Unit, "news.view_board", pk=unit_id)
    may_post = request.user.has_perm("news.post_notice", unit)
    form = NoticeForm(request.POST or None) if may_post else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.notice_post(author=request.user, unit=unit, **form.cleaned_data)
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, _("Your notice is on the board."))
                return redirect("news:board", unit_id=unit.pk)
    return render(
        request,
        "news/board.html",
        {
            "unit": unit,
            "page_obj": paginate(request, selectors.board_notices(unit, request.user)),
            "form": form,
            "may_take_down": request.user.has_perm("news.take_down_notice", Notice(unit=unit)),
        },
    )


@login_required
def notice_take_down(request, pk: int):
    notice = get_object_or_404(Notice.objects.select_related("unit", "author"), pk=pk)
    if not request.user.has_perm("news.take_down_notice", notice):
        raise Http404
    form = TakeDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_take_down(
                notice=notice, officer=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The notice is taken down; its author is told why."))
            return redirect("news:board", unit_id=notice.unit_id)
    return render(request, "news/take_down.html", {"notice": notice, "form": form})


@login_required
def calendar(request):
    """The address is shown once, in the answer to the POST that made it: only its hash is kept."""
    feed = selectors.calendar_feed_of(request.user)
    form = ConfirmForm(request.POST or None)
    url = ""
    if request.method == "POST" and (feed is None or form.is_valid()):
        try:
            feed, secret = services.calendar_feed_renew(member=request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("news:calendar")
        url = request.build_absolute_uri(reverse("news:calendar_ics", args=[secret]))
        form = ConfirmForm()
    return render(request, "news/calendar.html", {"feed": feed, "url": url, "form": form})


def calendar_ics(request, secret: str):
    member = selectors.member_for_calendar_secret(secret)
    if member is None:
        raise Http404
    text = ical.calendar(
        name=_("Commonweal: my meetings and deadlines"),
        events=selectors.calendar_entries(member),
        stamp=clock.now(),
        domain=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
