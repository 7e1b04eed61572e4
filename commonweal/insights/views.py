from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonweal.core.csv_export import csv_response
from commonweal.core.signin import login_required
from commonweal.organisation.models import Body, Unit

from . import selectors
from .aggregates import ACTIVITIES, FIGURES
from .charts import Series, bar_chart, line_chart


def _looker(request):
    if not request.user.has_perm("insights.look"):
        raise Http404
    return request.user


def _unit(request, slug: str) -> Unit:
    unit = get_object_or_404(Unit, slug=slug)
    if not selectors.may_see_unit(_looker(request), unit):
        raise Http404
    return unit


def _body(request, pk: int) -> Body:
    body = get_object_or_404(Body.objects.select_related("unit"), pk=pk)
    if not selectors.may_see_body(_looker(request), body):
        raise Http404
    return body


def activity_names() -> dict[str, str]:
    return {
        "supported": _("supported a proposal"),
        "contributed": _("contributed"),
        "voted": _("voted"),
        "attended": _("attended a meeting"),
        "trained": _("took a course"),
    }


def _charts(name: str, series: list[dict], csv_url: str) -> list:
    """Share taking part, and members joining and leaving, month by month."""
    labels = [date_format(row["month"], "M Y") for row in series]
    names = activity_names()
    shares = [selectors.shares(row) for row in series]
    taking_part = line_chart(
        _("Share of members taking part in %(name)s") % {"name": name},
        _("Each month from %(first)s to %(last)s, the share of members who did each thing.")
        % {"first": labels[0], "last": labels[-1]}
        if labels
        else _("No months counted yet."),
        labels,
        [Series(names[f], [s[f] for s in shares]) for f in ACTIVITIES],
        percent=True,
        csv_url=csv_url,
    )
    members = bar_chart(
        _("Members joining and leaving %(name)s") % {"name": name},
        _("Each month, how many members joined and how many left."),
        labels,
        [
            Series(_("joined"), [row["joined"] for row in series]),
            Series(_("left"), [row["left"] for row in series]),
        ],
        csv_url=csv_url,
    )
    return [taking_part, members]


@login_required
@require_GET
def home(request):
    """Choose a unit or body to look at: the ones whose figures one may see."""
    member = _looker(request)
    units = selectors.visible_units(member).order_by("path")
    bodies = selectors.visible_bodies(member).filter(closed_on=None).order_by("name")
    return render(request, "insights/home.html", {"units": units, "bodies": bodies})


@login_required
@require_GET
def unit(request, slug: str):
    """A unit with everything below it: participation over time, and beside its siblings."""
    unit = _unit(request, slug)
    series = selectors.unit_series(unit)
    csv_url = reverse("insights:unit_csv", args=[unit.slug])
    siblings = selectors.siblings_latest(unit)
    whole = selectors.organisation_latest()
    comparison = None
    if siblings:
        names = activity_names()
        comparison = bar_chart(
            _("%(name)s beside the units next to it") % {"name": unit.name},
            _("The share of members who did each thing in %(month)s, unit by unit.")
            % {"month": date_format(siblings[0]["month"], "F Y")},
            [row["unit"].name for row in siblings]
            + ([_("the whole organisation")] if whole else []),
            [
                Series(
                    names[f],
                    [selectors.shares(row)[f] for row in siblings]
                    + ([selectors.shares(whole)[f]] if whole else []),
                )
                for f in ACTIVITIES
            ],
            percent=True,
        )
    return render(
        request,
        "insights/unit.html",
        {
            "unit": unit,
            "latest": series[-1] if series else None,
            "charts": _charts(unit.name, series, csv_url),
            "comparison": comparison,
            "children": selectors.children(unit.path, unit.depth),
        },
    )


@login_required
@require_GET
def body(request, pk: int):
    """A body's members and what they did, month by month."""
    body = _body(request, pk)
    series = selectors.body_series(body)
    csv_url = reverse("insights:body_csv", args=[body.pk])
    return render(
        request,
        "insights/body.html",
        {
            "body": body,
            "latest": series[-1] if series else None,
            "charts": _charts(body.name, series, csv_url),
        },
    )


def _csv(series: list[dict], filename: str):
    rows = ([row["month"].isoformat(), *(row[f] for f in FIGURES)] for row in series)
    return csv_response(["month", *FIGURES], rows, filename=filename)


@login_required
@require_GET
def unit_csv(request, slug: str):
    unit = _unit(request, slug)
    return _csv(selectors.unit_series(unit), f"participation-{unit.slug}.csv")


@login_required
@require_GET
def body_csv(request, pk: int):
    body = _body(request, pk)
    return _csv(selectors.body_series(body), f"participation-{body.slug}.csv")
