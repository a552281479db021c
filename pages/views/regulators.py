from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import alternates, selectors
from ..freshness import public_page


@require_safe
@public_page
def regulator(request, slug: str):
    today = timezone.localdate()
    page = selectors.regulator_page(slug, request.GET.get("page"), today)
    return render(
        request,
        "pages/regulator.html",
        {
            "page": page,
            "regulator": page.regulator,
            "alternates": alternates.regulator(page.regulator),
            "today": today,
        },
    )
