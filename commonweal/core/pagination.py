"""One way of paginating list pages, so every list has the same controls."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> Page:
    """Clamp a bad or out-of-range ?page= to a real page instead of failing."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    return paginator.get_page(number)
