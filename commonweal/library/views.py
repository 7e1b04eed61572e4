from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.organisation.models import Body

from . import selectors, services
from .forms import UploadForm, VersionForm, WithdrawForm, limits
from .models import Document, DocumentVersion


@login_required
def library_list(request):
    return render(
        request,
        "library/list.html",
        {
            "page_obj": paginate(request, selectors.library_bodies(request.user), per_page=50),
            "recent": selectors.recent_documents(request.user),
        },
    )


@login_required
def body_library(request, slug: str):
    body = get_visible_or_404(
        request.user, Body.objects.select_related("unit"), "library.view_library", slug=slug
    )
    withdrawn = request.GET.get("show") == "withdrawn"
    page = paginate(request, selectors.body_documents(body, withdrawn=withdrawn))
    return render(
        request,
        "library/body.html",
        {
            "body": body,
            "page_obj": page,
            "withdrawn": withdrawn,
            "query": "show=withdrawn" if withdrawn else "",
            "may_add": request.user.has_perm("library.add_document", body),
            "may_audit": request.user.has_perm("library.view_downloads", body),
        },
    )


@login_required
def upload(request, slug: str):
    body = get_visible_or_404(request.user, Body, "library.view_library", slug=slug)
    if not request.user.has_perm("library.add_document", body):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                body=body,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                uploaded_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The document has been added to the library."))
            return redirect("library:document", pk=document.pk)
    return render(request, "library/upload.html", {"body": body, "form": form, "limits": limits()})


def _document(request, pk: int) -> Document:
    return get_visible_or_404(
        request.user,
        Document.objects.select_related("body__unit", "withdrawn_by", "created_by"),
        "library.view_document",
        pk=pk,
    )


@login_required
def document_detail(request, pk: int):
    document = _document(request, pk)
    user = request.user
    return render(
        request,
        "library/document.html",
        {
            "document": document,
            "versions": selectors.document_versions(document),
            "may_download": user.has_perm("library.download_document", document),
            "may_add_version": not document.is_withdrawn
            and user.has_perm("library.add_version", document),
            "may_withdraw": not document.is_withdrawn
            and user.has_perm("library.withdraw_document", document),
        },
    )


@login_required
def version_add(request, pk: int):
    document = _document(request, pk)
    if not request.user.has_perm("library.add_version", document):
        raise Http404
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_add(
                document=document,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                uploaded_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Version %(n)d has been added.") % {"n": version.number})
            return redirect("library:document", pk=document.pk)
    return render(
        request,
        "library/version_form.html",
        {"document": document, "form": form, "limits": limits()},
    )


@login_required
def withdraw(request, pk: int):
    document = _document(request, pk)
    if not request.user.has_perm("library.withdraw_document", document):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(
                document=document, officer=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The document has been withdrawn."))
            return redirect("library:document", pk=document.pk)
    return render(request, "library/withdraw.html", {"document": document, "form": form})


def stream(version: DocumentVersion) -> FileResponse:
    """The stored bytes, labelled with the type found in them, never rendered as a page."""
    inline = version.document.kind == Document.Kind.IMAGE
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=not inline,
        filename=version.download_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request, pk: int, number: int):
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__body__unit"),
        document_id=pk,
        number=number,
    )
    try:
        services.version_download(version=version, member=request.user)
    except Refused as refusal:
        raise Http404 from refusal
    return stream(version)


@login_required
def downloads(request, slug: str):
    body = get_visible_or_404(request.user, Body, "library.view_downloads", slug=slug)
    page = paginate(request, selectors.body_downloads(body), per_page=50)
    return render(request, "library/downloads.html", {"body": body, "page_obj": page})
