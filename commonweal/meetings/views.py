from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal, confirmed
from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required
from commonweal.members.models import Member
from commonweal.organisation.models import Body, Mandate
from commonweal.organisation.selectors import officer_body_ids

from . import selectors, services
from .forms import (
    AgendaItemForm,
    DelegatesForm,
    EconferenceForm,
    ElectionForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    NominateForm,
    PutToVoteForm,
    RecallForm,
    ReportForm,
)
from .models import AgendaItem, Meeting, Minutes, Motion, Recall


def _meeting_or_404(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body__unit", "scope"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    return meeting


def _item_or_404(request, pk: int) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body__unit", "meeting__scope"), pk=pk
    )
    if not request.user.has_perm("meetings.view_meeting", item.meeting):
        raise Http404
    return item


@login_required
def meeting_list(request):
    if not request.user.has_perm("meetings.view_meeting"):
        raise Http404
    page = paginate(request, selectors.meeting_list())
    mine = selectors.meetings_for_member(request.user)[:10] if request.user.is_member else []
    return render(
        request,
        "meetings/list.html",
        {
            "page_obj": page,
            "mine": mine,
            "may_schedule": bool(officer_body_ids(request.user)) or request.user.is_superuser,
        },
    )


def _officer_bodies(user):
    if user.is_superuser:
        return Body.objects.order_by("name")
    return Body.objects.filter(pk__in=officer_body_ids(user)).order_by("name")


@login_required
def meeting_schedule(request):
    form = MeetingForm(request.POST or None, bodies=_officer_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(scheduled_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The meeting is scheduled and its body told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "heading": _("Schedule a meeting")})


@login_required
def econference_call(request):
    bodies = _officer_bodies(request.user)
    form = EconferenceForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.econference_call(called_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The e-conference is called; its members are told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "heading": _("Call an e-conference")}
    )


def _detail_context(request, meeting: Meeting) -> dict[str, Any]:
    user = request.user
    may_chair = user.has_perm("meetings.chair_meeting", meeting)
    lists = selectors.speakers_lists(meeting, user)
    items = []
    for item in meeting.items.select_related("election").prefetch_related("nominations__candidate"):
        items.append(
            {
                "item": item,
                "motions": selectors.motions_of(item),
                "amendment": selectors.item_amendment(item),
                **lists[item.pk],
            }
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {
        "meeting": meeting,
        "items": items,
        **_now_context(meeting, items, lists),
        "quorum": selectors.quorum_status(meeting),
        "running": services.is_running(meeting),
        "is_present": selectors.present(meeting).filter(member=user).exists(),
        "may_take_part": user.has_perm("meetings.take_part_meeting", meeting),
        "may_chair": may_chair,
        "minutes": minutes,
        "minutes_deadline": selectors.minutes_deadline(meeting, minutes),
        "may_write_minutes": user.has_perm("meetings.write_minutes", meeting),
        "may_approve_minutes": user.has_perm("meetings.approve_minutes", meeting),
        "item_form": AgendaItemForm() if may_chair else None,
        "vote_form": PutToVoteForm(),
        "put_to_vote_states": services.PUT_TO_VOTE_STATES,
        "election_form": ElectionForm(),
        "nominate_form": NominateForm(),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_open(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if confirmed(request):
        act(
            request,
            lambda: services.meeting_open(meeting=meeting, opened_by=request.user),
            _("The meeting is open."),
        )
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def meeting_close(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if confirmed(request):
        act(
            request,
            lambda: services.meeting_close(meeting=meeting, closed_by=request.user),
            _("The meeting is closed."),
        )
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def video_set(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    act(
        request,
        lambda: services.meeting_video_set(
            meeting=meeting, video_url=request.POST.get("video_url", ""), set_by=request.user
        ),
        _("The video link is set; the participants are told."),
    )
    return redirect("meetings:detail", pk=pk)


@login_required
def delegates(request, pk: int):
    """The chair of an e-conference names its delegates; once there are any, only they take part."""
    meeting = _meeting_or_404(request, pk)
    if not meeting.is_econference or not request.user.has_perm("meetings.chair_meeting", meeting):
        raise Http404
    current = Member.objects.filter(pk__in=meeting.delegates.values("member_id")).order_by("email")
    form = DelegatesForm(
        request.POST or None, initial={"emails": "\n".join(m.email for m in current)}
    )
    if request.method == "POST" and form.is_valid():
        addresses = form.addresses()
        found = list(Member.objects.filter(email__in=addresses))
        unknown = set(addresses) - {m.email.lower() for m in found}
        try:
            if unknown:
                raise Refused(
                    _("No member with these addresses: %(list)s.")
                    % {"list": ", ".join(sorted(unknown))},
                    field="emails",
                )
            count = services.delegates_set(meeting=meeting, members=found, set_by=request.user)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("%(n)d delegates are set.") % {"n": count})
            return redirect("meetings:detail", pk=pk)
    return render(
        request, "meetings/delegates.html", {"form": form, "meeting": meeting, "current": current}
    )


@login_required
@require_POST
def attend(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    act(
        request,
        lambda: services.attendance_register(meeting=meeting, member=request.user),
        _("You are registered as present."),
    )
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def leave(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    act(
        request,
        lambda: services.attendance_leave(meeting=meeting, member=request.user),
        _("You have left the meeting."),
    )
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def item_add(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An agenda item needs a kind and a title."))
    else:
        act(
            request,
            lambda: services.agenda_item_add(
                meeting=meeting, added_by=request.user, **form.cleaned_data
            ),
            _("The item is on the agenda."),
        )
    return redirect("meetings:detail", pk=pk)


# The live meeting: the meeting page polls one fragment every 5 s while the meeting is open
# (the item the floor is on, and every item's speakers' list swapped in place); without
# JavaScript a refresh link does the same. The projector shows the same, large.


def _now_context(meeting: Meeting, items: list[dict[str, Any]], lists: dict) -> dict[str, Any]:
    current_id = selectors.current_item_id(lists)
    now = next((row for row in items if row["item"].pk == current_id), None)
    return {"now": now, "running": services.is_running(meeting)}


def _live_rows(meeting: Meeting, user) -> tuple[list[dict[str, Any]], dict]:
    lists = selectors.speakers_lists(meeting, user)
    rows = [{"item": item, **lists[item.pk]} for item in meeting.items.all()]
    return rows, lists


@login_required
@require_GET
def live(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not request.htmx:
        return redirect("meetings:detail", pk=pk)
    rows, lists = _live_rows(meeting, request.user)
    return render(
        request,
        "meetings/_live.html",
        {
            "meeting": meeting,
            "items": rows,
            "may_chair": request.user.has_perm("meetings.chair_meeting", meeting),
            "may_take_part": request.user.has_perm("meetings.take_part_meeting", meeting),
            **_now_context(meeting, rows, lists),
        },
    )


@login_required
@require_GET
def projector(request, pk: int):
    """Full screen for the room: the current item, who speaks and for how long, the queue
    and the latest results; no controls."""
    meeting = _meeting_or_404(request, pk)
    rows, lists = _live_rows(meeting, None)
    context = {
        "meeting": meeting,
        "results": selectors.latest_results(meeting),
        **_now_context(meeting, rows, lists),
    }
    template = "meetings/_projector.html" if request.htmx else "meetings/projector.html"
    return render(request, template, context)


def _speakers_context(request, item: AgendaItem) -> dict[str, Any]:
    return {
        "item": item,
        **selectors.speakers_lists(item.meeting, request.user)[item.pk],
        "may_chair": request.user.has_perm("meetings.chair_meeting", item.meeting),
        "may_take_part": request.user.has_perm("meetings.take_part_meeting", item.meeting),
        "running": services.is_running(item.meeting),
    }


def _speakers_response(request, item: AgendaItem):
    if request.htmx:
        return render(request, "meetings/_speakers.html", _speakers_context(request, item))
    return redirect(f"{services.meeting_url(item.meeting)}#item-{item.pk}")


@login_required
def speakers(request, pk: int):
    item = _item_or_404(request, pk)
    return _speakers_response(request, item)


def _speaker_action(request, pk: int, action, success: str) -> HttpResponse:
    item = _item_or_404(request, pk)
    act(request, lambda: action(item), success)
    return _speakers_response(request, item)


@login_required
@require_POST
def speak(request, pk: int):
    return _speaker_action(
        request,
        pk,
        lambda item: services.speaker_request(item=item, member=request.user),
        _("You are on the speakers' list."),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    return _speaker_action(
        request,
        pk,
        lambda item: services.speaker_withdraw(item=item, member=request.user),
        _("You are off the speakers' list."),
    )


@login_required
@require_POST
def speaker_next(request, pk: int):
    return _speaker_action(
        request,
        pk,
        lambda item: services.speaker_next(item=item, chair=request.user),
        _("The floor has moved on."),
    )


@login_required
@require_POST
def speaker_stop(request, pk: int):
    return _speaker_action(
        request,
        pk,
        lambda item: services.speaker_stop(item=item, chair=request.user),
        _("The speaker's time is recorded."),
    )


# Motions, amendments and elections


@login_required
@require_POST
def motion_table(request, pk: int):
    item = _item_or_404(request, pk)
    form = MotionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the text of the motion."))
    else:
        amends = None
        if form.cleaned_data["amends"]:
            amends = get_object_or_404(Motion, pk=form.cleaned_data["amends"], item=item)
        act(
            request,
            lambda: services.motion_table(
                item=item, text=form.cleaned_data["text"], tabled_by=request.user, amends=amends
            ),
            _("The amendment is tabled.") if amends else _("The motion is tabled."),
        )
    return redirect(f"{services.meeting_url(item.meeting)}#item-{item.pk}")


@login_required
@require_POST
def motion_vote(request, pk: int):
    motion = get_object_or_404(Motion.objects.select_related("item__meeting__body"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting", motion.item.meeting):
        raise Http404
    form = PutToVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say when voting closes."))
    else:
        act(
            request,
            lambda: services.motion_put_to_vote(
                motion=motion, chair=request.user, **form.cleaned_data
            ),
            _("The vote is open."),
        )
    return redirect(f"{services.meeting_url(motion.item.meeting)}#item-{motion.item_id}")


@login_required
@require_POST
def nominate(request, pk: int):
    item = _item_or_404(request, pk)
    form = NominateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address, or leave it empty."))
    else:
        email = form.cleaned_data["email"]
        candidate = Member.objects.filter(email__iexact=email).first() if email else request.user
        if candidate is None:
            messages.error(request, _("No member has this email address."))
        else:
            act(
                request,
                lambda: services.candidate_nominate(
                    item=item, candidate=candidate, nominated_by=request.user
                ),
                _("The candidate is nominated."),
            )
    return redirect(f"{services.meeting_url(item.meeting)}#item-{item.pk}")


@login_required
@require_POST
def election_open(request, pk: int):
    item = _item_or_404(request, pk)
    form = ElectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the office, the number of seats and the closing time."))
    else:
        act(
            request,
            lambda: services.election_open(item=item, chair=request.user, **form.cleaned_data),
            _("The election is open."),
        )
    return redirect(f"{services.meeting_url(item.meeting)}#item-{item.pk}")


# Minutes


@login_required
def minutes_edit(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not request.user.has_perm("meetings.write_minutes", meeting):
        raise Http404
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_write(
                meeting=meeting, text=form.cleaned_data["text"], written_by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(f"{services.meeting_url(meeting)}#minutes")
    return render(
        request,
        "meetings/form.html",
        {"form": form, "heading": _("Minutes of %(title)s") % {"title": meeting.title}},
    )


@login_required
@require_POST
def minutes_approve(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    act(
        request,
        lambda: services.minutes_approve(minutes=minutes, approved_by=request.user),
        _("The minutes are approved; they will be sent to the bodies concerned."),
    )
    return redirect(f"{services.meeting_url(meeting)}#minutes")


# Accountability and recall


@login_required
def accountability(request, slug: str):
    body = get_object_or_404(Body.objects.select_related("unit"), slug=slug)
    if not request.user.has_perm("organisation.view_body", body):
        raise Http404
    mandates = list(selectors.active_mandates_with_reports(body).select_related("holder"))
    return render(
        request,
        "meetings/accountability.html",
        {
            "body": body,
            "missing": selectors.missing_reports(body),
            "mandates": mandates,
            "recalls": selectors.recalls_of(body)[:20],
        },
    )


def _mandate_or_404(request, pk: int) -> Mandate:
    mandate = get_object_or_404(Mandate.objects.select_related("body__unit", "holder"), pk=pk)
    if not request.user.has_perm("organisation.view_body", mandate.body):
        raise Http404
    return mandate


@login_required
def report_file(request, pk: int):
    mandate = _mandate_or_404(request, pk)
    if not request.user.has_perm("meetings.file_report", mandate):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(mandate=mandate, filed_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your report is filed and the body told."))
            return redirect("meetings:accountability", slug=mandate.body.slug)
    heading = _("Report as %(office)s of %(body)s") % {
        "office": mandate.office,
        "body": mandate.body.name,
    }
    return render(request, "meetings/form.html", {"form": form, "heading": heading})


@login_required
def recall_start(request, pk: int):
    mandate = _mandate_or_404(request, pk)
    form = RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recall = services.recall_start(
                mandate=mandate, started_by=request.user, **form.cleaned_data
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The recall motion is gathering support."))
            return redirect("meetings:recall", pk=recall.pk)
    heading = _("Move to recall %(holder)s as %(office)s") % {
        "holder": mandate.holder.display_name,
        "office": mandate.office,
    }
    return render(request, "meetings/form.html", {"form": form, "heading": heading})


@login_required
def recall_detail(request, pk: int):
    recall = get_object_or_404(
        Recall.objects.select_related("mandate__body__unit", "mandate__holder", "decision"), pk=pk
    )
    if not request.user.has_perm("organisation.view_body", recall.mandate.body):
        raise Http404
    return render(
        request,
        "meetings/recall.html",
        {
            "recall": recall,
            "supported": recall.supports.filter(member=request.user).exists(),
            "may_support": request.user.has_perm("meetings.support_recall", recall.mandate),
        },
    )


@login_required
@require_POST
def recall_support(request, pk: int):
    recall = get_object_or_404(Recall.objects.select_related("mandate__body__unit"), pk=pk)
    if not request.user.has_perm("organisation.view_body", recall.mandate.body):
        raise Http404
    act(
        request,
        lambda: services.recall_support(recall=recall, member=request.user),
        _("Your support is counted."),
    )
    return redirect("meetings:recall", pk=pk)
