from django.http import Http404
from django.shortcuts import render

from commonweal.core.signin import login_required

from .models import RulebookVersion
from .selectors import current


@login_required
def rulebook(request):
    if not request.user.has_perm("rulebook.view"):
        raise Http404
    return render(
        request,
        "rulebook/rulebook.html",
        {
            "rulebook": current(),
            "versions": RulebookVersion.objects.all()[:50],
            "may_stage": request.user.has_perm("rulebook.stage_version"),
        },
    )
