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
    title = f"Timeline of {page.deal.title} across regulators"
    context = {
        "page": page,
        "deal": page.deal,
        "alternates": alternates.deal(page.deal),
        "today": today,
    }
    context |= timeline_context(request, title, page.reviews, page, today, deal=page.deal)
    return render(request, "pages/deal.html", context)
