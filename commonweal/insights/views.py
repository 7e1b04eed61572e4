from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.core.signin import login_required

from . import selectors


def _looker(request):
    if not request.user.has_perm("insights.look"):
        raise Http404
    return request.user


@login_required
@require_GET
def home(request):
    """Choose a unit or body to look at: the ones whose figures one may see."""
    member = _looker(request)
    units = selectors.visible_units(member).order_by("path")
    return render(request, "insights/home.html", {"units": units})
