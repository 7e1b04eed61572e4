from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from commonweal.core.pagination import paginate

from .selectors import notifications_for


@login_required
def notification_list(request):
    return render(
        request,
        "notifications/list.html",
        {"page_obj": paginate(request, notifications_for(request.user))},
    )
