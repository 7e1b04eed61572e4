from django.http import Http404
from django.shortcuts import render

from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required

from .selectors import recent_entries, record_verify


@login_required
def verify(request):
    if not request.user.has_perm("record.view"):
        raise Http404
    return render(
        request,
        "record/verify.html",
        {"result": record_verify(), "page_obj": paginate(request, recent_entries(), per_page=50)},
    )
