from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors
from ..freshness import public_page

MAX_QUERY_LENGTH = 100


@require_safe
@public_page
def search(request):
    text = " ".join(request.GET.get("q", "").split())
    context = {"q": text, "results": None, "error": "", "max_length": MAX_QUERY_LENGTH}
    status = 200
    if len(text) > MAX_QUERY_LENGTH:
        context["error"] = f"Search for at most {MAX_QUERY_LENGTH} characters."
        status = 400
    elif text:
        context["results"] = selectors.search(text)
    return render(request, "pages/search.html", context, status=status)
