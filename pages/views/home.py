from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import alternates, selectors
from ..freshness import public_page


@require_safe
@public_page
def home(request):
    today = timezone.localdate()
    return render(
        request,
        "pages/home.html",
        {
            "events": selectors.latest_events(),
            "upcoming": list(selectors.upcoming_deadlines(today)[: selectors.UPCOMING]),
            "regulators": selectors.open_by_regulator(),
            "alternates": alternates.home(),
            "today": today,
        },
    )
