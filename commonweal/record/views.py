from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from commonweal.core.pagination import paginate
from commonweal.core.ratelimit import rate_limited
from commonweal.core.signin import login_required

from .describe import kind_in_words, subject_in_words
from .selectors import chain_checks, checkpoints, entries_download, recent_entries
from .visibility import as_seen_by


@login_required
def verify(request):
    """What the worker's last checks found (the chain is never walked per request)."""
    if not request.user.has_perm("record.view"):
        raise Http404
    checks = chain_checks()
    page_obj = paginate(request, recent_entries(), per_page=50)
    page_obj.object_list = as_seen_by(request.user, page_obj.object_list)
    for entry in page_obj.object_list:
        entry.what = kind_in_words(entry.kind)
        entry.about = subject_in_words(entry.subject) if entry.subject else ""
    return render(
        request,
        "record/verify.html",
        {
            "recent": checks.get("recent"),
            "whole": checks.get("whole"),
            "checkpoint": checkpoints().first(),
            "page_obj": page_obj,
        },
    )


@login_required
@rate_limited(key="record-download", per_account="20/h", methods=("GET",))
def entries(request):
    """The chain without content, for scripts/verify_record.py; `?after=N` for the new part."""
    if not request.user.has_perm("record.view"):
        raise Http404
    after = request.GET.get("after", "0")
    if not (after.isascii() and after.isdigit()):
        return HttpResponseBadRequest(_("after must be a whole number of entries."))
    response = StreamingHttpResponse(
        entries_download(int(after)), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="record-entries.txt"'
    return response
