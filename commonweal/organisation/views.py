from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonweal.core import clock
from commonweal.core.csv_export import csv_response
from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required
from commonweal.core.xlsx_export import xlsx_response
from commonweal.members.selectors import members_of_unit, profiles_visible_to
from commonweal.members.services import unit_members_export

from . import body_page, elections, selectors, services
from .forms import (
    AppointForm,
    BodyForm,
    Confirmed,
    MandateEndForm,
    MemberByEmailForm,
    ReferralAnswerForm,
    ReferralForm,
    RenameForm,
    UnitCloseForm,
    UnitForm,
)
from .models import Body, BodyMembership, Mandate, Referral, Unit


def _require_member(request) -> None:
    if not request.user.has_perm("organisation.view_unit"):
        raise Http404


@login_required
def unit_tree(request):
    _require_member(request)
    return render(
        request,
        "organisation/unit_tree.html",
        {"units": selectors.unit_tree(), "counts": selectors.unit_member_counts()},
    )


@login_required
def unit_detail(request, slug: str):
    _require_member(request)
    unit = get_object_or_404(Unit, slug=slug)
    members = members_of_unit(unit).only("id", "full_name", "email", "status")
    # Only those whose profile the viewer may see, by each member's own choice.
    page = paginate(request, members.filter(profiles_visible_to(request.user)), per_page=50)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "line": selectors.unit_ancestors_and_self(unit),
            "children": Unit.objects.get_children(unit),
            "bodies": unit.bodies.all(),
            "page_obj": page,
            "not_listed": members.count() - page.paginator.count,
            "in_scope": selectors.member_count_in_scope(unit),
            "officers": selectors.officers_of_unit(unit),
            "may_export": request.user.has_perm("members.export_unit_members", unit),
            "may_import": not unit.closed_on
            and request.user.has_perm("members.import_members", unit),
            "may_add_unit": not unit.closed_on
            and not unit.is_basic
            and request.user.has_perm("organisation.add_unit", unit),
            "may_change_unit": not unit.closed_on
            and request.user.has_perm("organisation.change_unit", unit),
            "may_add_body": not unit.closed_on
            and request.user.has_perm("organisation.change_body", Body(unit=unit)),
        },
    )


@login_required
@require_GET
def unit_members_csv(request, slug: str):
    unit = get_object_or_404(Unit, slug=slug)
    if not request.user.has_perm("members.export_unit_members", unit):
        raise Http404
    chunks = unit_members_export(officer=request.user, unit=unit)
    return csv_response(
        selectors.unit_roster_header(),
        selectors.unit_roster_rows(chunks, site=request.build_absolute_uri("/")),
        filename=f"members-{unit.slug}-{clock.now().date().isoformat()}.csv",
    )


@login_required
@require_GET
def unit_members_xlsx(request, slug: str):
    """The members list as a workbook: the same columns as the CSV, which an import reads."""
    unit = get_object_or_404(Unit, slug=slug)
    if not request.user.has_perm("members.export_unit_members", unit):
        raise Http404
    chunks = unit_members_export(officer=request.user, unit=unit)
    return xlsx_response(
        selectors.unit_roster_header(),
        selectors.unit_roster_rows(chunks, site=request.build_absolute_uri("/")),
        filename=f"members-{unit.slug}-{clock.now().date().isoformat()}.xlsx",
        title=unit.name,
    )


@login_required
def body_detail(request, slug: str):
    body = get_object_or_404(Body.objects.select_related("unit"), slug=slug)
    if not request.user.has_perm("organisation.view_body", body):
        raise Http404
    page = selectors.body_page(body)
    # Office is held in public; plain membership is listed only where the member's own
    # choice of who may see their profile lets this viewer see them.
    after = request.GET.get("after", "")
    members = selectors.body_members_visible(
        body, request.user, after=int(after) if after.isdigit() else 0
    )
    context = {
        "body": body,
        **page,
        "member_count": page["members"].count(),
        "members_page": members,
        "first_page": not after,
        "may_refer": request.user.has_perm("organisation.refer_from_body", body),
        "elections": elections.upcoming(body),
        "open": body.closed_on is None,
        "may_manage": request.user.has_perm("organisation.manage_body", body),
        "may_change": request.user.has_perm("organisation.change_body", body),
        "may_appoint": request.user.has_perm("organisation.appoint_to_body", body),
        "sections": body_page.sections(body, request.user),
    }
    return render(request, "organisation/body_detail.html", context)


@login_required
def referral_create(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    if not request.user.has_perm("organisation.refer_from_body", body):
        raise Http404
    form = ReferralForm(request.POST or None, exclude_body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(from_body=body, referred_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The item has been referred."))
            return redirect("organisation:body", slug=body.slug)
    return render(request, "organisation/referral_form.html", {"form": form, "body": body})


# Changing the structure ------------------------------------------------------------------
# Each page is shown only to those who may take its step (to anyone else it does not exist);
# the service checks again and its refusal is shown beside the field.


def _form_page(request, form, *, title, submit, cancel_url, intro=()):
    return render(
        request,
        "organisation/form_page.html",
        {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url, "intro": intro},
    )


def _run(request, form, action, success: str) -> bool:
    """Call the service with the valid form; a refusal goes beside its field."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except Refused as refusal:
        add_refusal(form, refusal)
        return False
    messages.success(request, success)
    return True


def _open_unit(slug: str) -> Unit:
    return get_object_or_404(Unit, slug=slug, closed_on=None)


def _open_body(slug: str) -> Body:
    return get_object_or_404(Body.objects.select_related("unit"), slug=slug, closed_on=None)


def _member_in_scope(form, unit: Unit):
    """The member the form names by email, within the unit's subtree, or a form error."""
    from commonweal.members.models import Member

    member = (
        Member.objects.filter(
            email__iexact=form.cleaned_data["member"], unit__path__startswith=unit.path
        )
        .select_related("unit")
        .first()
    )
    if member is None:
        raise Refused(
            _("No member with this address within %(unit)s.") % {"unit": unit.name},
            field="member",
        )
    return member


@login_required
def unit_new(request, slug: str):
    parent = _open_unit(slug)
    if parent.is_basic or not request.user.has_perm("organisation.add_unit", parent):
        raise Http404
    form = UnitForm(request.POST or None, parent=parent)
    created = {}

    def create(data):
        created["unit"] = services.unit_create(
            name=data["name"], kind=data["kind"], parent=parent, created_by=request.user
        )

    if _run(request, form, create, _("The unit has been created.")):
        return redirect("organisation:unit", slug=created["unit"].slug)
    return _form_page(
        request,
        form,
        title=_("A new unit in %(unit)s") % {"unit": parent.name},
        submit=_("Create the unit"),
        cancel_url=reverse("organisation:unit", args=[parent.slug]),
        intro=[_("It gets its assembly, the body all its members belong to.")],
    )


@login_required
def unit_rename(request, slug: str):
    unit = _open_unit(slug)
    if not request.user.has_perm("organisation.change_unit", unit):
        raise Http404
    form = RenameForm(request.POST or None, initial={"name": unit.name})
    done = _run(
        request,
        form,
        lambda data: services.unit_rename(unit=unit, name=data["name"], renamed_by=request.user),
        _("The unit has been renamed."),
    )
    if done:
        return redirect("organisation:unit", slug=unit.slug)
    return _form_page(
        request,
        form,
        title=_("Rename %(unit)s") % {"unit": unit.name},
        submit=_("Rename"),
        cancel_url=reverse("organisation:unit", args=[unit.slug]),
        intro=[_("Its address, members, bodies and history stay as they are.")],
    )


@login_required
def unit_close(request, slug: str):
    unit = _open_unit(slug)
    if not request.user.has_perm("organisation.change_unit", unit):
        raise Http404
    form = UnitCloseForm(request.POST or None, unit=unit)
    done = _run(
        request,
        form,
        lambda data: services.unit_close(
            unit=unit, members_to=data["members_to"], closed_by=request.user
        ),
        _("The unit has been closed."),
    )
    if done:
        return redirect("organisation:unit", slug=unit.slug)
    return _form_page(
        request,
        form,
        title=_("Close %(unit)s") % {"unit": unit.name},
        submit=_("Close the unit"),
        cancel_url=reverse("organisation:unit", args=[unit.slug]),
        intro=[
            _(
                "Its members, and those waiting for a decision on their application, move to "
                "the unit you choose and join its assembly. Its bodies close: their "
                "memberships and mandates end today. Nothing is deleted: the unit, its "
                "decisions and its history stay, marked closed."
            )
        ],
    )


@login_required
def unit_merge(request, slug: str):
    unit = _open_unit(slug)
    if not request.user.has_perm("organisation.change_unit", unit):
        raise Http404
    form = UnitCloseForm(request.POST or None, unit=unit, label=_("Merge into"))
    done = _run(
        request,
        form,
        lambda data: services.unit_merge(
            unit=unit, into=data["members_to"], merged_by=request.user
        ),
        _("The units have been merged."),
    )
    if done:
        return redirect("organisation:unit", slug=form.cleaned_data["members_to"].slug)
    return _form_page(
        request,
        form,
        title=_("Merge %(unit)s into another unit") % {"unit": unit.name},
        submit=_("Merge"),
        cancel_url=reverse("organisation:unit", args=[unit.slug]),
        intro=[
            _(
                "Its members move to the other unit and join its assembly; its departments, "
                "sections and other bodies carry on there with their members and mandates. "
                "This unit is then closed; its history stays."
            )
        ],
    )


@login_required
def body_new(request, slug: str):
    unit = _open_unit(slug)
    if not request.user.has_perm("organisation.change_body", Body(unit=unit)):
        raise Http404
    form = BodyForm(request.POST or None)
    created = {}

    def create(data):
        created["body"] = services.body_create(unit=unit, created_by=request.user, **data)

    if _run(request, form, create, _("The body has been created.")):
        return redirect("organisation:body", slug=created["body"].slug)
    return _form_page(
        request,
        form,
        title=_("A new body in %(unit)s") % {"unit": unit.name},
        submit=_("Create the body"),
        cancel_url=reverse("organisation:unit", args=[unit.slug]),
    )


@login_required
def body_close(request, slug: str):
    body = _open_body(slug)
    if not request.user.has_perm("organisation.change_body", body):
        raise Http404
    form = Confirmed(request.POST or None)
    done = _run(
        request,
        form,
        lambda data: services.body_close(body=body, closed_by=request.user),
        _("The body has been closed."),
    )
    if done:
        return redirect("organisation:body", slug=body.slug)
    return _form_page(
        request,
        form,
        title=_("Close %(body)s") % {"body": body.name},
        submit=_("Close the body"),
        cancel_url=reverse("organisation:body", args=[body.slug]),
        intro=[
            _(
                "Its memberships and mandates end today and its members are told. Its "
                "decisions, minutes and history stay."
            )
        ],
    )


@login_required
def body_member_add(request, slug: str):
    body = _open_body(slug)
    if not request.user.has_perm("organisation.manage_body", body):
        raise Http404
    form = MemberByEmailForm(request.POST or None)

    def add(data):
        services.body_membership_add(
            body=body, member=_member_in_scope(form, body.unit), added_by=request.user
        )

    if _run(request, form, add, _("The member has been added.")):
        return redirect("organisation:body", slug=body.slug)
    return _form_page(
        request,
        form,
        title=_("Add a member to %(body)s") % {"body": body.name},
        submit=_("Add"),
        cancel_url=reverse("organisation:body", args=[body.slug]),
    )


@login_required
def body_member_remove(request, slug: str, pk: int):
    body = _open_body(slug)
    if not request.user.has_perm("organisation.manage_body", body):
        raise Http404
    membership = get_object_or_404(
        BodyMembership.objects.select_related("member"), body=body, member_id=pk, until=None
    )
    form = Confirmed(request.POST or None)
    done = _run(
        request,
        form,
        lambda data: services.body_membership_end(membership=membership, ended_by=request.user),
        _("The member has been removed from the body."),
    )
    if done:
        return redirect("organisation:body", slug=body.slug)
    return _form_page(
        request,
        form,
        title=_("Remove %(name)s from %(body)s")
        % {"name": membership.member.display_name, "body": body.name},
        submit=_("Remove"),
        cancel_url=reverse("organisation:body", args=[body.slug]),
        intro=[_("They are told. Their time in the body stays in its history.")],
    )


@login_required
def mandate_appoint(request, slug: str):
    body = _open_body(slug)
    if not request.user.has_perm("organisation.appoint_to_body", body):
        raise Http404
    form = AppointForm(request.POST or None)

    def appoint(data):
        services.mandate_appoint(
            body=body,
            holder=_member_in_scope(form, body.unit),
            office=data["office"],
            granted_as=data["granted_as"],
            reason=data["reason"],
            appointed_by=request.user,
        )

    if _run(request, form, appoint, _("The office has been filled.")):
        return redirect("organisation:body", slug=body.slug)
    return _form_page(
        request,
        form,
        title=_("Fill an office of %(body)s outside an election") % {"body": body.name},
        submit=_("Appoint"),
        cancel_url=reverse("organisation:body", args=[body.slug]),
        intro=[
            _(
                "Where the rulebook allows it. The reason is kept with the mandate; the "
                "holder and the body are told."
            )
        ],
    )


@login_required
def mandate_end(request, pk: int):
    mandate = get_object_or_404(
        Mandate.objects.select_related("body", "holder"), pk=pk, ended_early_on=None
    )
    if not request.user.has_perm("organisation.appoint_to_body", mandate.body):
        raise Http404
    form = MandateEndForm(request.POST or None)
    done = _run(
        request,
        form,
        lambda data: services.mandate_end(
            mandate=mandate, reason=data["reason"], ended_by=request.user
        ),
        _("The mandate has ended."),
    )
    if done:
        return redirect("organisation:body", slug=mandate.body.slug)
    return _form_page(
        request,
        form,
        title=_("End the mandate of %(holder)s as %(office)s")
        % {"holder": mandate.holder.display_name, "office": mandate.office},
        submit=_("End the mandate"),
        cancel_url=reverse("organisation:body", args=[mandate.body.slug]),
        intro=[_("The office confers nothing from now on; the holder and the body are told.")],
    )


@login_required
def referral_answer(request, pk: int):
    referral = get_object_or_404(
        Referral.objects.select_related("from_body", "to_body"), pk=pk, status="open"
    )
    if not request.user.has_perm("organisation.refer_from_body", referral.to_body):
        raise Http404
    form = ReferralAnswerForm(request.POST or None)
    done = _run(
        request,
        form,
        lambda data: services.referral_answer(referral=referral, answered_by=request.user, **data),
        _("Your answer has been sent."),
    )
    if done:
        return redirect("organisation:body", slug=referral.to_body.slug)
    return _form_page(
        request,
        form,
        title=_("Answer “%(title)s”") % {"title": referral.title},
        submit=_("Send the answer"),
        cancel_url=reverse("organisation:body", args=[referral.to_body.slug]),
        intro=[
            _("%(from)s asks:") % {"from": referral.from_body.name},
            referral.text,
        ],
    )
