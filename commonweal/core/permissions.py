"""Fetch-and-authorise helpers: what a member may not see is a 404, never a 403."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


def get_visible_or_404(user: Any, queryset: QuerySet[M] | type[M], perm: str, **lookup: Any) -> M:
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj
