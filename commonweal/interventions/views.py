"""Pages of struggles, interventions, spontaneous actions and lessons; thin over the services."""

from django.conf import settings
from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.alliances.models import OutsideOrganisation
from commonweal.core import clock
from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.library.models import Document
from commonweal.meetings.models import Meeting
from commonweal.members.models import Member

from . import selectors, services
from .forms import (
    AssessForm,
    CancelForm,
    DecideForm,
    EventForm,
    FilterForm,
    LessonForm,
    LessonSearchForm,
    PartnersForm,
    PlanForm,
    PutToMeetingForm,
    ReportForm,
    SpontaneousForm,
    StruggleForm,
    StruggleUpdateForm,
    split_tags,
)
from .models import Intervention, SpontaneousAction, Struggle


def _status(refusal: Refused) -> int:
    """A form shown again with the refusal beside its field is a 200, as any form with its
    errors; one the member may not use at all is a 403."""
    return 403 if isinstance(refusal, NotPermitted) else 200


def _member(request) -> None:
    if not request.user.has_perm("interventions.view"):
        raise Http404


def _organisations_by_name(text: str) -> list[OutsideOrganisation]:
    """The organisations named one a line, matched as their unique name is (without regard
    to case); a name that matches none is refused rather than dropped."""
    names = list(dict.fromkeys(n.strip() for n in (text or "").splitlines() if n.strip()))
    found = {
        o.name.lower(): o
        for o in OutsideOrganisation.objects.annotate(lower=Lower("name")).filter(
            lower__in=[n.lower() for n in names]
        )
    }
    unknown = [n for n in names if n.lower() not in found]
    if unknown:
        raise Refused(
            _("No outside organisation is recorded as %(names)s.") % {"names": ", ".join(unknown)},
            field="organisations",
        )
    return [found[n.lower()] for n in names]


def _names(organisations) -> str:
    return "\n".join(o.name for o in organisations)


def _filters(form) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "unit": data.get("unit"),
        "status": data.get("status") or "",
        "country": data.get("country") or "",
    }


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def intervention_list(request):
    _member(request)
    form = FilterForm(request.GET or None, statuses=Intervention.Status.choices)
    rows = selectors.interventions(request.user, **_filters(form))
    return render(
        request,
        "interventions/list.html",
        {
            "form": form,
            "page_obj": paginate(request, rows),
            "query": _query(request),
            "breakdown": selectors.unit_breakdown(rows),
            "by_country": selectors.country_breakdown(rows),
            "today": clock.now().date(),
        },
    )


@login_required
def struggle_list(request):
    _member(request)
    form = FilterForm(request.GET or None, statuses=Struggle.Status.choices)
    filters = _filters(form)
    rows = selectors.struggles(request.user, **filters)
    return render(
        request,
        "interventions/struggles.html",
        {
            "form": form,
            "page_obj": paginate(request, rows),
            "query": _query(request),
            **selectors.struggle_breakdowns(request.user, **filters),
        },
    )


@login_required
def struggle_new(request):
    _member(request)
    form = StruggleForm(
        request.POST or None,
        initial={"since": clock.now().date(), "country": settings.COMMONWEAL_HOME_COUNTRY},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            data = {**form.cleaned_data}
            data["organisations"] = _organisations_by_name(data["organisations"])
            struggle = services.struggle_create(by=request.user, **data)
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("The struggle is registered."))
            return redirect("interventions:struggle", pk=struggle.pk)
    return render(request, "interventions/struggle_new.html", {"form": form}, status=status)


def _struggle(request, pk: int) -> Struggle:
    return get_visible_or_404(
        request.user,
        Struggle.objects.select_related("unit"),
        "interventions.view_struggle",
        pk=pk,
    )


def _struggle_page(request, struggle: Struggle, status: int = 200, **forms):
    may_manage = request.user.has_perm("interventions.manage_struggle", struggle)
    events = list(struggle.events.select_related("document", "document__body"))
    return render(
        request,
        "interventions/struggle.html",
        {
            "struggle": struggle,
            "events": events,
            # A document is named only to whoever may read it in its library.
            "readable_documents": {
                e.document_id
                for e in events
                if e.document_id and request.user.has_perm("library.view_document", e.document)
            },
            "interventions": selectors.interventions(request.user, struggle=struggle),
            "units": struggle.units.order_by("path"),
            "organisations": struggle.organisations.order_by("name"),
            "members_involved": struggle.members.order_by("full_name") if may_manage else None,
            "n_members": struggle.members.count(),
            "may_manage": may_manage,
            "update_form": forms.get("update_form")
            or StruggleUpdateForm(
                initial={
                    "status": struggle.status,
                    "involvement": struggle.involvement,
                    "country": struggle.country,
                    "units": list(struggle.units.all()),
                    "organisations": _names(struggle.organisations.order_by("name")),
                }
            ),
            "event_form": forms.get("event_form") or EventForm(),
            "plan_form": forms.get("plan_form") or PlanForm(),
        },
        status=status,
    )


@login_required
def struggle_detail(request, pk: int):
    return _struggle_page(request, _struggle(request, pk))


def _members_by_email(text: str) -> list[Member]:
    emails = [e.strip() for e in (text or "").splitlines() if e.strip()]
    found = list(Member.objects.filter(email__in=emails))
    if len(found) != len(set(emails)):
        raise Refused(_("No member has one of those addresses."), field="member_emails")
    return found


@login_required
@require_POST
def struggle_update(request, pk: int):
    struggle = _struggle(request, pk)
    form = StruggleUpdateForm(request.POST)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.struggle_update(
                struggle=struggle,
                by=request.user,
                status=data["status"],
                involvement=data["involvement"],
                units=data["units"],
                members=_members_by_email(data["member_emails"]),
                country=data["country"],
                organisations=_organisations_by_name(data["organisations"]),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("The struggle is updated."))
            return redirect("interventions:struggle", pk=pk)
    return _struggle_page(request, struggle, status=status, update_form=form)


@login_required
@require_POST
def event_add(request, pk: int):
    struggle = _struggle(request, pk)
    form = EventForm(request.POST)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = None
            if data["document"]:
                document = Document.objects.filter(pk=data["document"]).first()
                if document is None:
                    raise Refused(_("No such document in the library."), field="document")
            services.struggle_event_add(
                struggle=struggle,
                by=request.user,
                happened_on=data["happened_on"],
                text=data["text"],
                source=data["source"],
                document=document,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("Added to the timeline."))
            return redirect("interventions:struggle", pk=pk)
    return _struggle_page(request, struggle, status=status, event_form=form)


@login_required
@require_POST
def plan(request, pk: int):
    struggle = _struggle(request, pk)
    form = PlanForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            data = {**form.cleaned_data}
            data["organisations"] = _organisations_by_name(data["organisations"])
            intervention = services.intervention_plan(struggle=struggle, by=request.user, **data)
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("The intervention is planned."))
            return redirect("interventions:detail", pk=intervention.pk)
    return _struggle_page(request, struggle, status=status, plan_form=form)


def _intervention(request, pk: int) -> Intervention:
    return get_visible_or_404(
        request.user,
        Intervention.objects.select_related(
            "unit", "body", "struggle", "decision"
        ).prefetch_related("organisations"),
        "interventions.view_intervention",
        pk=pk,
    )


def _detail(request, intervention: Intervention, status: int = 200, **forms):
    context = selectors.intervention_page(intervention)
    may_manage = request.user.has_perm("interventions.manage_intervention", intervention)
    meetings = []
    if may_manage and intervention.status == Intervention.Status.AWAITING_DECISION:
        meetings = list(
            Meeting.objects.filter(body=intervention.body)
            .exclude(state=Meeting.State.CLOSED)
            .order_by("opens_at")[:20]
        )
    context.update(
        may_manage=may_manage,
        meetings=meetings,
        today=clock.now().date(),
        put_form=forms.get("put_form") or PutToMeetingForm(),
        report_form=forms.get("report_form") or ReportForm(),
        assess_form=forms.get("assess_form") or AssessForm(),
        cancel_form=forms.get("cancel_form") or CancelForm(),
        lesson_form=forms.get("lesson_form") or LessonForm(),
        partners_form=forms.get("partners_form")
        or PartnersForm(initial={"organisations": _names(intervention.organisations.all())}),
        Status=Intervention.Status,
    )
    return render(request, "interventions/detail.html", context, status=status)


@login_required
def intervention_detail(request, pk: int):
    return _detail(request, _intervention(request, pk))


def _step(request, pk: int, form_class, form_name: str, call, success: str):
    intervention = _intervention(request, pk)
    form = form_class(request.POST)
    status = 200
    if form.is_valid():
        try:
            call(intervention, form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, success)
            return redirect("interventions:detail", pk=pk)
    return _detail(request, intervention, status=status, **{form_name: form})


@login_required
@require_POST
def put_to_meeting(request, pk: int):
    def call(intervention, data):
        meeting = Meeting.objects.filter(pk=data["meeting"]).first()
        if meeting is None:
            raise Refused(_("Choose a meeting of the body."), field="meeting")
        services.intervention_put_to_meeting(
            intervention=intervention, meeting=meeting, by=request.user
        )

    return _step(
        request,
        pk,
        PutToMeetingForm,
        "put_form",
        call,
        _("The motion is on the meeting's agenda."),
    )


@login_required
@require_POST
def partners(request, pk: int):
    def call(intervention, data):
        services.intervention_partners_set(
            intervention=intervention,
            by=request.user,
            organisations=_organisations_by_name(data["organisations"]),
        )

    return _step(request, pk, PartnersForm, "partners_form", call, _("The partners are recorded."))


@login_required
@require_POST
def start(request, pk: int):
    intervention = _intervention(request, pk)
    try:
        services.intervention_start(intervention=intervention, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _detail(request, intervention, status=refusal.status)
    messages.success(request, _("The intervention is under way."))
    return redirect("interventions:detail", pk=pk)


@login_required
@require_POST
def cancel(request, pk: int):
    return _step(
        request,
        pk,
        CancelForm,
        "cancel_form",
        lambda i, d: services.intervention_cancel(intervention=i, by=request.user, **d),
        _("The intervention is cancelled; the body is told."),
    )


@login_required
@require_POST
def report(request, pk: int):
    return _step(
        request,
        pk,
        ReportForm,
        "report_form",
        lambda i, d: services.intervention_report(intervention=i, by=request.user, **d),
        _("What happened is recorded; the body assesses it next."),
    )


@login_required
@require_POST
def assess(request, pk: int):
    def call(intervention, data):
        lessons = []
        if data["lesson"] or data["lesson_text"]:
            lessons.append(
                {
                    "title": data["lesson"],
                    "text": data["lesson_text"],
                    "tags": split_tags(data["tags"]),
                    "shared": data["shared"],
                }
            )
        services.intervention_assess(
            intervention=intervention,
            by=request.user,
            worked=data["worked"],
            failed=data["failed"],
            why=data["why"],
            lessons=lessons,
        )

    return _step(request, pk, AssessForm, "assess_form", call, _("The assessment is recorded."))


@login_required
@require_POST
def lesson_add(request, pk: int):
    def call(intervention, data):
        services.lesson_add(
            intervention=intervention,
            by=request.user,
            title=data["title"],
            text=data["text"],
            tags=split_tags(data["tags"]),
            shared=data["shared"],
        )

    return _step(request, pk, LessonForm, "lesson_form", call, _("The lesson is added."))


@login_required
def lessons(request):
    _member(request)
    form = LessonSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.lessons(request.user, text=data.get("q") or "", tag=data.get("tag") or "")
    return render(
        request,
        "interventions/lessons.html",
        {
            "form": form,
            "page_obj": paginate(request, rows),
            "query": _query(request),
            "tags": selectors.tags_in_use(request.user),
        },
    )


def _reports_page(request, status: int = 200, form=None, decide_form=None):
    rows = selectors.reports_for(request.user)
    decidable = {
        r.pk
        for r in rows.filter(status=SpontaneousAction.Status.REPORTED)[:200]
        if request.user.has_perm("interventions.decide_report", r)
    }
    return render(
        request,
        "interventions/reports.html",
        {
            "form": form or SpontaneousForm(initial={"seen_on": clock.now().date()}),
            "decide_form": decide_form or DecideForm(),
            "page_obj": paginate(request, rows),
            "query": _query(request),
            "decidable": decidable,
        },
        status=status,
    )


@login_required
def reports(request):
    _member(request)
    return _reports_page(request)


@login_required
@require_POST
def report_action(request):
    _member(request)
    form = SpontaneousForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.spontaneous_action_report(
                by=request.user, unit=request.user.unit, **form.cleaned_data
            )
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("Reported to your unit's officers; you will be told."))
            return redirect("interventions:reports")
    return _reports_page(request, status=status, form=form)


@login_required
@require_POST
def report_decide(request, pk: int):
    _member(request)
    report = get_visible_or_404(
        request.user,
        SpontaneousAction.objects.select_related("unit"),
        "interventions.decide_report",
        pk=pk,
    )
    form = DecideForm(request.POST)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            struggle = None
            if data["struggle"]:
                struggle = Struggle.objects.filter(pk=data["struggle"]).first()
                if struggle is None:
                    raise Refused(_("No such struggle."), field="struggle")
            services.spontaneous_action_decide(
                report=report,
                by=request.user,
                follow=data["follow"],
                reason=data["reason"],
                struggle=struggle,
                title=data["title"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
            status = _status(refusal)
        else:
            messages.success(request, _("Decided; the member is told."))
            return redirect("interventions:reports")
    return _reports_page(request, status=status, decide_form=form)
