from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonweal.core import clock
from commonweal.core.csv_export import csv_response
from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required
from commonweal.meetings.selectors import missing_reports
from commonweal.members.selectors import members_of_unit, profiles_visible_to
from commonweal.members.services import unit_members_export

from . import selectors, services
from .forms import ReferralForm
from .models import Body, Unit


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
        "missing_reports": missing_reports(body),
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
