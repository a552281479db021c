from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from tracker.links import absolute

from .. import alternates, selectors
from ..freshness import public_page


@require_safe
@public_page
def deadlines(request):
    today = timezone.localdate()
    calendar_url = absolute(reverse("deadlines-ics"))
    return render(
        request,
        "pages/deadlines.html",
        {
            "deadlines": selectors.deadlines_page(request.GET.get("page"), today),
            "calendar_url": calendar_url,
            # Calendar apps subscribe (and keep polling) through webcal:, download through http(s):.
            "webcal_url": "webcal://" + calendar_url.split("://", 1)[-1],
            "alternates": alternates.deadlines(),
            "today": today,
        },
    )
