from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import alternates, selectors
from ..freshness import public_page
from .timeline import timeline_context


@require_safe
@public_page
def proceeding(request, pk: int):
    today = timezone.localdate()
    page = selectors.proceeding_page(pk)
    return render(
        request,
        "pages/proceeding.html",
        {
            "page": page,
            "review": page.review,
            "timeline": timeline_context(f"Timeline of {page.review}", [page.review], page.events, page.stops, page.periods, today),
            "events": selectors.events_page(page.events, request.GET.get("page")),
            "alternates": alternates.proceeding(page.review),
            "today": today,
        },
    )
