from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import alternates, selectors
from ..freshness import public_page
from .timeline import timeline_context


@require_safe
@public_page
def deal(request, slug: str):
    today = timezone.localdate()
    page = selectors.deal_page(slug)
    return render(
        request,
        "pages/deal.html",
        {
            "page": page,
            "deal": page.deal,
            "timeline": timeline_context(
                f"Timeline of {page.deal.title} across regulators", page.reviews, page.events, page.stops, page.periods, today, deal=page.deal),
            "events": selectors.events_page(page.events, request.GET.get("page")),
            "alternates": alternates.deal(page.deal),
            "today": today,
        },
    )
