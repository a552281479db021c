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
    review = page.review
    context = {
        "page": page,
        "review": review,
        "alternates": alternates.proceeding(review),
        "today": today,
    }
    context |= timeline_context(request, f"Timeline of {review}", [review], page, today)
    return render(request, "pages/proceeding.html", context)
