import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import officer_unit_paths

from . import services
from .categories import BY_KEY, CATEGORIES
from .forms import AlertForm, MuteForm, PreferencesForm
from .models import Mute, Notification
from .selectors import latest_notification_id, mutes_of, notifications_for, preferences_of

STOP_POLLING = 286  # htmx stops polling on this status
NEW_AT_MOST = 50  # more than this since the page was drawn: the member reloads to see them


def _back(request, default: str = "notifications:list"):
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _filters(request) -> tuple[str, bool, str]:
    """The centre's filter (category, unread only) from the query string, and as one."""
    category = request.GET.get("category", "")
    category = category if category in BY_KEY else ""
    unread = request.GET.get("unread") == "1"
    query = urlencode(
        {k: v for k, v in (("category", category), ("unread", "1" if unread else "")) if v}
    )
    return category, unread, query


@login_required
def notification_list(request):
    category, unread, query = _filters(request)
    notifications = notifications_for(request.user, category=category, unread=unread)
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": paginate(request, notifications),
            "categories": CATEGORIES,
            "category": category,
            "unread": unread,
            "query": query,
            "latest": latest_notification_id(request.user),
            "muted_threads": set(mutes_of(request.user).values_list("thread", flat=True)),
            "can_alert": request.user.is_superuser or bool(officer_unit_paths(request.user)),
        },
    )


@login_required
def new_notifications(request):
    """What arrived since the page was drawn, polled by htmx: new items on top, count updated.

    Nothing new is a 204, which htmx leaves alone; the poller then asks again
    from the same point.
    """
    category, unread, query = _filters(request)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    notifications = list(
        notifications_for(request.user, category=category, unread=unread).filter(pk__gt=after)[
            :NEW_AT_MOST
        ]
    )
    if not notifications:
        return HttpResponse(status=204)
    return render(
        request,
        "notifications/new.html",
        {
            "notifications": notifications,
            "latest": max(n.pk for n in notifications),
            "query": query,
            "muted_threads": set(mutes_of(request.user).values_list("thread", flat=True)),
        },
    )


def badge(request):
    """The unread badge alone, polled by htmx so the count updates without a reload."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    return render(request, "notifications/badge.html")


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        services.notification_mark_read(member=request.user, notification_id=pk)
    except Refused as exc:
        raise Http404 from exc
    if request.htmx:
        notification = get_object_or_404(
            Notification.objects.select_related("event"), pk=pk, recipient=request.user
        )
        muted = Mute.objects.filter(member=request.user, thread=notification.event.thread)
        return render(
            request,
            "notifications/item.html",
            {"n": notification, "muted_threads": {m.thread for m in muted}},
        )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(member=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return _back(request)


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(
        Notification.objects.select_related("event"), pk=pk, recipient=request.user
    )
    services.notification_mark_read(member=request.user, notification_id=pk)
    link = notification.event.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = {c.key: delivery for c, delivery in preferences_of(request.user)}
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(member=request.user, choices=form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Your email choices are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "mutes": mutes_of(request.user)},
    )


@login_required
@require_POST
def mute(request):
    form = MuteForm(request.POST)
    if form.is_valid():
        try:
            services.thread_mute(member=request.user, thread=form.cleaned_data["thread"])
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Muted: no more email about this."))
    return _back(request)


@login_required
@require_POST
def unmute(request):
    form = MuteForm(request.POST)
    if form.is_valid():
        services.thread_unmute(member=request.user, thread=form.cleaned_data["thread"])
        messages.success(request, _("Unmuted."))
    return _back(request)


def _alertable_units(member):
    if member.is_superuser:
        return Unit.objects.order_by("path")
    paths = Q()
    for path in officer_unit_paths(member):
        paths |= Q(path__startswith=path)
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(paths).order_by("path")


@login_required
def alert(request):
    units = _alertable_units(request.user)
    if not units.exists():
        raise Http404
    form = AlertForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.urgent_alert_send(
                unit=form.cleaned_data["unit"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                sent_by=request.user,
            )
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("The alert is on its way to every member in scope."))
            return redirect("notifications:list")
    return render(request, "notifications/alert.html", {"form": form})


@csrf_exempt
@require_POST
def inbound_email(request):
    """A reply by email, posted raw (message/rfc822) by the mail server: the HTTP twin of
    `manage.py receive_email`.

    The mail server proves itself with the shared secret (INBOUND_EMAIL_SECRET) in an
    `Authorization: Bearer` header; without one configured the endpoint does not exist.
    The signed reply address in the message then says who replied to what. A message
    over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) is refused by Django before it is read.
    """
    secret = settings.NOTIFICATIONS_INBOUND_SECRET
    if not secret:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse(status=401)
    try:
        services.reply_receive(raw=request.body)
    except Refused as exc:
        return HttpResponse(_("Refused: %(why)s") % {"why": exc.message}, status=400)
    return HttpResponse(_("Reply posted."), content_type="text/plain")


@csrf_exempt
def unsubscribe(request, token: str):
    """One-click unsubscribe (RFC 8058): a GET confirms, a POST unsubscribes, no login.

    The signed token is the credential, so this form needs no CSRF token: a mail
    provider posts `List-Unsubscribe=One-Click` to it directly.
    """
    try:
        if request.method == "POST":
            _member, keys = services.unsubscribe(token=token)
            done = True
        else:
            _member, keys = services.unsubscribe_read(token)
            done = False
    except Refused as exc:
        return render(
            request, "notifications/unsubscribe.html", {"refusal": exc.message}, status=400
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "categories": [BY_KEY[k].label for k in keys]},
    )
