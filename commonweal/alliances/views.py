"""Pages for outside organisations, relationships and joint statements (thin: forms in,
services do the work), and the public joint statement pages."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal, confirmed
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.members.models import Member
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import officer_unit_paths
from commonweal.rulebook.selectors import current as current_rulebook

from . import organisation_page, selectors, services
from .forms import (
    ActivityForm,
    AgreeForm,
    ContactPersonForm,
    FilterForm,
    HolderForm,
    NewOrganisationForm,
    OrganisationForm,
    PutToMeetingForm,
    RelationshipForm,
    StatementForm,
    StatusForm,
)
from .models import ContactPerson, JointStatement, OutsideOrganisation, Relationship


def _my_units(user):
    """The open units an officer speaks for: those of their offices and every unit below."""
    units = Unit.objects.filter(closed_on=None).order_by("path")
    if user.is_superuser:
        return units
    paths = officer_unit_paths(user)
    if not paths:
        return units.none()
    from django.db.models import Q

    within = Q(pk__in=[])
    for path in paths:
        within |= Q(path__startswith=path)
    return units.filter(within)


def _visible_organisation(request, pk):
    return get_visible_or_404(
        request.user,
        OutsideOrganisation.objects.select_related("unit"),
        "alliances.view_organisation",
        pk=pk,
    )


def _visible_relationship(request, pk):
    return get_visible_or_404(
        request.user,
        Relationship.objects.select_related("organisation", "unit"),
        "alliances.view_relationship",
        pk=pk,
    )


@login_required
def organisation_list(request):
    if not request.user.has_perm("alliances.view_organisation"):
        raise Http404
    units = Unit.objects.filter(closed_on=None).order_by("path")
    form = FilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.organisations_search(
        request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        country=filters.get("country", ""),
        unit=filters.get("unit"),
        status=filters.get("status", ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alliances/list.html",
        {
            "form": form,
            "page_obj": paginate(request, found),
            "query": query.urlencode(),
            "may_add": request.user.has_perm("alliances.add_organisation"),
        },
    )


@login_required
def organisation_create(request):
    units = _my_units(request.user)
    if not request.user.has_perm("alliances.add_organisation") or not units.exists():
        raise Http404
    form = NewOrganisationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(actor=request.user, **data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "alliances/create.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation = _visible_organisation(request, pk)
    units = _my_units(request.user)
    held = set(organisation.relationships.values_list("unit_id", flat=True))
    start_units = units.exclude(pk__in=held)
    context = selectors.organisation_page(organisation, request.user)
    context.update(
        may_edit=request.user.has_perm("alliances.change_organisation", organisation),
        relationship_form=RelationshipForm(units=start_units) if start_units.exists() else None,
        statuses=Relationship.Status.choices,
        sections=organisation_page.sections(organisation, request.user),
    )
    return render(request, "alliances/detail.html", context)


@login_required
def organisation_edit(request, pk):
    organisation = _visible_organisation(request, pk)
    if not request.user.has_perm("alliances.change_organisation", organisation):
        raise Http404
    initial = {
        field: getattr(organisation, field)
        for field in ("name", "kind", "country", "language", "website", "description")
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The record is saved."))
            return redirect(organisation)
    return render(request, "alliances/edit.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def relationship_start(request, pk):
    organisation = _visible_organisation(request, pk)
    form = RelationshipForm(request.POST, units=_my_units(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your units and the relationship."))
        return redirect(organisation)
    act(
        request,
        lambda: services.relationship_start(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
        _("The relationship is recorded."),
    )
    return redirect(organisation)


@login_required
@require_POST
def relationship_status(request, pk):
    relationship = _visible_relationship(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
    else:
        act(
            request,
            lambda: services.relationship_change(
                actor=request.user, relationship=relationship, **form.cleaned_data
            ),
            _("The relationship is updated."),
        )
    return redirect(relationship)


@login_required
@require_POST
def relationship_holder(request, pk):
    relationship = _visible_relationship(request, pk)
    form = HolderForm(request.POST)
    member = None
    if form.is_valid():
        member = Member.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if request.POST.get("remove"):
        member = get_object_or_404(Member, pk=request.POST.get("remove"))
        act(
            request,
            lambda: services.relationship_holder_remove(
                actor=request.user, relationship=relationship, member=member
            ),
            _("They no longer hold this relationship."),
        )
    else:
        act(
            request,
            lambda: services.relationship_holder_add(
                actor=request.user, relationship=relationship, member=member
            ),
            _("They now hold this relationship."),
        )
    return redirect(relationship)


@login_required
def contact_person_add(request, pk):
    relationship = _visible_relationship(request, pk)
    if not request.user.has_perm("alliances.add_contact_person", relationship):
        raise Http404
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_add(
                actor=request.user, relationship=relationship, **form.cleaned_data
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The contact person is recorded, with their consent."))
            return redirect(relationship)
    return render(
        request, "alliances/contact_add.html", {"form": form, "relationship": relationship}
    )


def _visible_contact(request, pk):
    person = get_object_or_404(
        ContactPerson.objects.select_related("relationship__organisation", "relationship__unit"),
        pk=pk,
        erased_at=None,
    )
    if not request.user.has_perm("alliances.view_contact_details", person.relationship):
        raise Http404
    return person


@login_required
def contact_person_erase(request, pk):
    person = _visible_contact(request, pk)
    if (
        request.method == "POST"
        and confirmed(request)
        and act(
            request,
            lambda: services.contact_person_erase(actor=request.user, person=person),
            _("The contact person's details are erased."),
        )
    ):
        return redirect(person.relationship)
    return render(request, "alliances/contact_erase.html", {"person": person})


@login_required
def contact_person_export(request, pk):
    person = _visible_contact(request, pk)
    response = JsonResponse(
        selectors.contact_person_export(person), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="contact-person-{person.pk}.json"'
    return response


@login_required
def activity_record(request, pk):
    relationship = _visible_relationship(request, pk)
    if not request.user.has_perm("alliances.record_activity", relationship):
        raise Http404
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(
                actor=request.user, relationship=relationship, **form.cleaned_data
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("It is recorded."))
            return redirect(relationship)
    return render(
        request, "alliances/activity_add.html", {"form": form, "relationship": relationship}
    )


@login_required
def statement_draft(request, pk):
    relationship = _visible_relationship(request, pk)
    if not request.user.has_perm("alliances.draft_statement", relationship):
        raise Http404
    from django.conf import settings

    languages = [settings.LANGUAGE_CODE]
    if relationship.organisation.language:
        languages.append(relationship.organisation.language)
    form = StatementForm(request.POST or None, languages=languages)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.joint_statement_draft(
                actor=request.user, relationship=relationship, texts=form.texts()
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The draft is saved; the competent body agrees it next."))
            return redirect(statement)
    return render(
        request, "alliances/statement_draft.html", {"form": form, "relationship": relationship}
    )


def _visible_statement(request, pk):
    return get_visible_or_404(
        request.user,
        JointStatement.objects.select_related(
            "relationship__organisation", "relationship__unit", "decision"
        ),
        "alliances.view_statement",
        pk=pk,
    )


def _open_meetings(bodies):
    from commonweal.meetings.models import Meeting

    return (
        Meeting.objects.filter(body__in=bodies)
        .exclude(state=Meeting.State.CLOSED)
        .select_related("body")
        .order_by("opens_at")
    )


@login_required
def statement_detail(request, pk):
    from commonweal.meetings.models import Motion

    statement = _visible_statement(request, pk)
    may_act = request.user.has_perm("alliances.draft_statement", statement.relationship)
    bodies = services.competent_bodies(statement.relationship)
    by_vote = current_rulebook()["alliances.statement_needs_vote"]
    draft = statement.status == JointStatement.Status.DRAFT
    meetings = _open_meetings(bodies)[:20] if may_act and draft and by_vote else None
    return render(
        request,
        "alliances/statement.html",
        {
            "statement": statement,
            "texts": statement.texts.all(),
            "may_act": may_act,
            "by_vote": by_vote,
            "motion": Motion.objects.select_related("item").filter(pk=statement.motion_id).first()
            if statement.motion_id
            else None,
            "carried": selectors.carried_motion(statement) if draft else None,
            "agree_form": AgreeForm(bodies=bodies) if may_act and bodies and not by_vote else None,
            "put_form": PutToMeetingForm(meetings=_open_meetings(bodies)) if meetings else None,
        },
    )


@login_required
@require_POST
def statement_put_to_meeting(request, pk):
    statement = _visible_statement(request, pk)
    bodies = services.competent_bodies(statement.relationship)
    form = PutToMeetingForm(request.POST, meetings=_open_meetings(bodies))
    if not form.is_valid():
        messages.error(request, _("Choose a meeting of the unit's assembly or leadership."))
    else:
        act(
            request,
            lambda: services.joint_statement_put_to_meeting(
                actor=request.user, statement=statement, meeting=form.cleaned_data["meeting"]
            ),
            _("The statement is on the meeting's agenda as a motion."),
        )
    return redirect(statement)


@login_required
@require_POST
def statement_agree(request, pk):
    statement = _visible_statement(request, pk)
    form = AgreeForm(request.POST, bodies=services.competent_bodies(statement.relationship))
    if not form.is_valid():
        messages.error(request, _("Choose the body that agreed it."))
    else:
        act(
            request,
            lambda: services.joint_statement_agree(
                actor=request.user, statement=statement, body=form.cleaned_data["body"]
            ),
            _("The agreement is recorded as a decision of the body."),
        )
    return redirect(statement)


@login_required
@require_POST
def statement_publish(request, pk):
    statement = _visible_statement(request, pk)
    act(
        request,
        lambda: services.joint_statement_publish(actor=request.user, statement=statement),
        _("The statement is published on the public website."),
    )
    return redirect(statement)


@login_required
def statement_list(request):
    if not request.user.has_perm("alliances.view_organisation"):
        raise Http404
    status = request.GET.get("status", "")
    if status not in JointStatement.Status.values:
        status = ""
    found = selectors.statements_visible_to(
        request.user, status=status, country=request.GET.get("country", "")[:2]
    )
    return render(
        request,
        "alliances/statements.html",
        {
            "page_obj": paginate(request, found),
            "status": status,
            "statuses": JointStatement.Status.choices,
        },
    )


@login_required
def country_overview(request):
    if not request.user.has_perm("alliances.view_organisation"):
        raise Http404
    units = Unit.objects.filter(closed_on=None).order_by("path")
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = units.filter(pk=int(request.GET["unit"])).first()
    return render(
        request,
        "alliances/countries.html",
        {
            "rows": selectors.country_overview(request.user, unit=unit),
            "units": units,
            "unit": unit,
            "statuses": Relationship.Status.choices,
        },
    )


def public_statements(request):
    return render(
        request,
        "alliances/public_list.html",
        {"page_obj": paginate(request, selectors.public_statements())},
    )


def public_statement(request, pk):
    statement = get_object_or_404(selectors.public_statements(), pk=pk)
    return render(request, "alliances/public_statement.html", {"statement": statement})
