from django.http import Http404
from django.shortcuts import render

from commonweal.core.signin import login_required

from .labels import rulebook_as_read
from .models import RulebookVersion
from .selectors import current


@login_required
def rulebook(request):
    if not request.user.has_perm("rulebook.view"):
        raise Http404
    rulebook = current()
    return render(
        request,
        "rulebook/rulebook.html",
        {
            "rulebook": rulebook,
            "sections": rulebook_as_read(rulebook.rules),
            "versions": RulebookVersion.objects.all()[:50],
            "may_stage": request.user.has_perm("rulebook.stage_version"),
            # Granted by the process app that runs amendments (commonweal.constitution).
            "may_amend": request.user.has_perm("constitution.amend"),
        },
    )
