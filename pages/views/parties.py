from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import alternates, selectors
from ..freshness import public_page


@require_safe
@public_page
def party(request, slug: str):
    page = selectors.party_page(slug)
    return render(
        request,
        "pages/party.html",
        {"page": page, "party": page.party, "alternates": alternates.party(page.party)},
    )
