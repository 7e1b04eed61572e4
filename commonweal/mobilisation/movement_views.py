"""The public "movement" page: everyone's answers added up, and the membership's growth.

Anonymous visitors get the figures from a cache refreshed every minute, so a crowd
arriving from a shared link costs a few queries a minute; signed-in members see them live.
"""

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonweal.core.charts import line_chart

from . import movement

CACHE_SECONDS = 60


def _figures() -> dict:
    growth = movement.membership_growth()
    return {
        **movement.totals_by_region(),
        "growth": growth,
        "growth_chart": str(
            line_chart(
                _("Members who have joined, in all, month by month"),
                [month for month, _n in growth],
                [n for _month, n in growth],
            )
        ),
    }


@require_GET
def movement_page(request):
    if request.user.is_authenticated:
        figures = _figures()
    else:
        figures = cache.get_or_set(
            f"mobilisation:movement:{get_language()}", _figures, CACHE_SECONDS
        )
    return render(request, "mobilisation/movement.html", figures)
