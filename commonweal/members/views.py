import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal, confirmed
from commonweal.core.pagination import paginate
from commonweal.core.ratelimit import rate_limited
from commonweal.core.signin import login_required
from commonweal.organisation.selectors import active_mandates

from . import needs, selectors, services
from . import register as register_filters
from .context_processors import home_links
from .forms import (
    ConfirmForm,
    DecisionForm,
    ImportColumnsForm,
    ImportForm,
    JoinForm,
    OfferForm,
    ProfileForm,
    ReasonForm,
    RegisterSearchForm,
    TokenForm,
)
from .models import ApiToken, Member, MemberImport, MembershipApplication, Offer
from .services import imports
from .spreadsheets import MAX_BYTES, too_large


@rate_limited(key="join", per_ip="10/h")
def join(request):
    if request.user.is_authenticated:
        return redirect("members:home")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_apply(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                unit=form.cleaned_data["unit"],
                password=form.cleaned_data["password"],
                statement=form.cleaned_data["statement"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            # The same page whether or not the address already had an account.
            return render(request, "members/join_done.html", {"unit": form.cleaned_data["unit"]})
    return render(request, "members/join.html", {"form": form})


@login_required
def home(request):
    member = request.user
    if member.status == Member.Status.APPLICANT:
        return render(
            request,
            "members/applicant_home.html",
            {"applications": member.applications.select_related("unit")},
        )
    context = selectors.member_home(member)
    context["may_search_register"] = bool(selectors.register_paths(member))
    context["elsewhere"] = home_links(member)
    return render(request, "members/home.html", context)


@login_required
@require_GET
def need_counts(request):
    """The menu's counts, fetched by a page that found none remembered (htmx swaps each
    into its link): they are sought here, after the page, and remembered for a minute."""
    needs.nav_counts(request.user)
    return render(request, "members/need_counts.html")


@login_required
def applications(request):
    if not selectors.officer_unit_paths(request.user):
        raise Http404
    page = paginate(request, selectors.applications_awaiting(request.user))
    return render(
        request,
        "members/applications.html",
        {
            "applications": selectors.with_deadlines(page.object_list),
            "page_obj": page,
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def application_decide(request, pk: int):
    application = get_object_or_404(MembershipApplication, pk=pk)
    if not request.user.has_perm("members.decide_application", application):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    accept = request.POST.get("decision") == "accept"
    try:
        services.application_decide(
            application=application,
            officer=request.user,
            accept=accept,
            reason=form.cleaned_data.get("reason", ""),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        said = _("%(name)s has been accepted.") if accept else _("%(name)s has been declined.")
        messages.success(request, said % {"name": application.applicant.display_name})
    return redirect("members:applications")


@login_required
def profile(request):
    member = request.user
    initial = {
        "full_name": member.full_name,
        "capacities": ", ".join(member.capacities),
        "skills": ", ".join(member.skills),
        "interests": ", ".join(member.interests),
        "tags_for_officers": member.tags_for_officers,
        "visibility": member.visibility,
        "show_email": member.show_email,
        "locale": member.locale,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(member=member, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form, "member": member})


@login_required
def member_detail(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("members.view_profile", member):
        raise Http404
    services.profile_viewed(viewer=request.user, subject=member)
    may_act = member.pk != request.user.pk and request.user.has_perm(
        "members.suspend_member", member
    )
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "tags": selectors.tags_seen_by(request.user, member),
            "may_suspend": may_act and member.status == Member.Status.MEMBER,
            "may_reinstate": may_act and member.status == Member.Status.SUSPENDED,
        },
    )


@login_required
def export(request):
    data = selectors.member_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-commonweal-data.json"'
    return response


@login_required
def erase(request):
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_erase(member=request.user, requested_by=request.user)
        logout(request)
        messages.success(request, _("Your personal data has been erased."))
        return redirect("website:home")
    return render(request, "members/erase.html", {"form": form})


@login_required
def leave(request):
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(member=request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("You have left the organisation."))
        return redirect("members:home")
    # What leaving ends, so the member sees it before they confirm.
    offices = active_mandates(holder=request.user).select_related("body").order_by("body__name")
    return render(request, "members/leave.html", {"form": form, "offices": offices})


@login_required
def suspend(request, pk: int):
    member = get_object_or_404(Member, pk=pk)
    if not request.user.has_perm("members.suspend_member", member):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_suspend(
                member=member, officer=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/suspend.html", {"form": form, "member": member})


@login_required
def reinstate(request, pk: int):
    member = get_object_or_404(Member, pk=pk)
    if not request.user.has_perm("members.suspend_member", member):
        raise Http404
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_reinstate(member=member, officer=request.user)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("%(name)s is a member in good standing again.") % {"name": member}
            )
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/reinstate.html", {"form": form, "member": member})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(member=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
    return render(
        request,
        "members/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.tokens_of(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, member=request.user)
    services.api_token_revoke(token=token, member=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("members:tokens")


# The capacities register


@login_required
@require_GET
def register(request):
    """Officers search the members of their units by what they can bring."""
    if not request.user.has_perm("members.search_register"):
        raise Http404
    paths = selectors.register_paths(request.user)
    units = selectors.register_units(request.user, paths=paths)
    filters = register_filters.filters()
    asked = bool(request.GET)
    form = RegisterSearchForm(
        request.GET if asked else None,
        units=units,
        filters=filters,
        viewer=request.user,
        initial={"unit": units.first()},
    )
    results = None
    if asked and form.is_valid():
        after = request.GET.get("after", "")
        results = selectors.register_search(
            request.user,
            unit=form.cleaned_data["unit"],
            words=form.cleaned_data["words"],
            kinds=form.cleaned_data["kinds"],
            chosen={key: form.cleaned_data.get(key, "") for key in form.extra},
            after=int(after) if after.isdigit() else 0,
        )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "members/register.html",
        {"form": form, "results": results, "query": query.urlencode()},
    )


@login_required
def my_offers(request):
    """A member offers themselves for a task and follows the answers."""
    if not request.user.has_perm("members.make_offer"):
        raise Http404
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_make(member=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your offer has been sent to your unit's officers."))
            return redirect("members:my_offers")
    return render(
        request,
        "members/my_offers.html",
        {"form": form, "offers": paginate(request, selectors.offers_of(request.user))},
    )


@login_required
@require_POST
def offer_withdraw(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk, member=request.user)
    try:
        services.offer_withdraw(member=request.user, offer=offer)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect("members:my_offers")


@login_required
@require_GET
def offers(request):
    """Offers from the members of the units the officer serves, those waiting first."""
    if not request.user.has_perm("members.search_register"):
        raise Http404
    return render(
        request,
        "members/offers.html",
        {"offers": paginate(request, selectors.offers_to_answer(request.user))},
    )


@login_required
@require_POST
def offer_answer(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("unit", "member"), pk=pk)
    if not request.user.has_perm("members.answer_offer", offer):
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.offer_answer(
            offer=offer, officer=request.user, accept=accept, reason=request.POST.get("reason", "")
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        said = _("You accepted the offer.") if accept else _("You declined the offer.")
        messages.success(request, said)
    return redirect("members:offers")


def _import_of(request, pk: int) -> MemberImport:
    """The uploader's own import; anyone else's is not there for them."""
    # The rows (up to 20 MB of them) load only where a page uses them, not on each poll.
    member_import = get_object_or_404(
        MemberImport.objects.select_related("unit").defer("rows"), pk=pk
    )
    if member_import.created_by_id != request.user.pk or not request.user.has_perm(
        "members.import_members", member_import.unit
    ):
        raise Http404
    return member_import


@login_required
def import_new(request):
    units = selectors.units_to_import_into(request.user)
    if not units.exists():
        raise Http404
    unit = request.GET.get("unit", "")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"unit": int(unit)} if unit.isdigit() else {},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise too_large()  # without reading it into memory
            member_import = imports.member_import_upload(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                name=upload.name,
                data=upload.read(),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect("members:import_detail", pk=member_import.pk)
    recent = MemberImport.objects.filter(created_by=request.user).select_related("unit")[:10]
    return render(request, "members/import_new.html", {"form": form, "recent": recent})


def _import_page(request, member_import: MemberImport, columns_form=None):
    page = Paginator(member_import.problems, selectors.IMPORT_PROBLEMS_PAGE).get_page(
        request.GET.get("page")
    )
    preview = member_import.status == MemberImport.Status.PREVIEW
    context = {
        "member_import": member_import,
        "preview": preview,
        "page_obj": page,
        "problems": selectors.import_problems(member_import, list(page.object_list)),
        "problem_rows": len({problem[0] for problem in member_import.problems}),
        "columns_form": columns_form
        or ImportColumnsForm(
            header=member_import.header,
            fields=imports.FIELD_LABELS,
            initial_columns=member_import.columns,
        ),
        "header": member_import.header,
        "rows": selectors.import_rows_shown(member_import) if preview else [],
        "running": member_import.status
        in {MemberImport.Status.QUEUED, MemberImport.Status.RUNNING},
    }
    return render(request, "members/import_detail.html", context)


@login_required
@require_GET
def import_detail(request, pk: int):
    return _import_page(request, _import_of(request, pk))


@login_required
@require_GET
def import_progress(request, pk: int):
    member_import = _import_of(request, pk)
    return render(request, "members/import_progress.html", {"member_import": member_import})


@login_required
@require_POST
def import_columns(request, pk: int):
    member_import = _import_of(request, pk)
    form = ImportColumnsForm(
        request.POST,
        header=member_import.header,
        fields=imports.FIELD_LABELS,
        initial_columns=member_import.columns,
    )
    if form.is_valid():
        try:
            imports.member_import_columns(
                actor=request.user, member_import=member_import, columns=form.columns()
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The rows have been checked again with these columns."))
            return redirect("members:import_detail", pk=member_import.pk)
    return _import_page(request, member_import, columns_form=form)


@login_required
@require_POST
def import_check(request, pk: int):
    member_import = _import_of(request, pk)
    try:
        plan = imports.member_import_check(actor=request.user, member_import=member_import)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.info(
            request,
            _(
                "Dry run, nothing written: importing now would add %(add)d members; %(existing)d "
                "rows are already members and would be left as they are; %(problems)d rows "
                "have problems and would not be imported."
            )
            % {
                "add": len(plan.to_add),
                "existing": plan.existing,
                "problems": len({problem[0] for problem in plan.problems}),
            },
        )
    return redirect("members:import_detail", pk=member_import.pk)


@login_required
@require_POST
def import_confirm(request, pk: int):
    member_import = _import_of(request, pk)
    if confirmed(request):
        act(
            request,
            lambda: imports.member_import_confirm(actor=request.user, member_import=member_import),
            _("The import has started: this page shows how far it has got."),
        )
    return redirect("members:import_detail", pk=member_import.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    member_import = _import_of(request, pk)
    if act(
        request,
        lambda: imports.member_import_discard(actor=request.user, member_import=member_import),
        _("The list has been discarded; nothing was imported."),
    ):
        return redirect("members:import_new")
    return redirect("members:import_detail", pk=member_import.pk)
