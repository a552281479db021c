"""iCalendar feeds of deadlines: a public one with the deadline filters, and a personal
one, of the reviews a user follows, behind a secret URL that calendar apps can poll."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from digests.builder import followed_ids
from digests.models import CalendarFeed
from notices.models import Subscription
from tracker.deadline_calendar import deadlines_calendar
from tracker.links import absolute
from tracker.models import ReviewDeal

from .exceptions import error_body
from .filter_backends import unknown_parameter_errors
from .reports import DeadlineFilter, DeadlineViewSet


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def filtered_deadlines(request: HttpRequest, queryset):
    """(reviews, None), or (None, a 400 response naming the bad parameters)."""
    errors = unknown_parameter_errors(request.GET, DeadlineFilter.base_filters)
    if errors:
        return None, JsonResponse(
            error_body(400, "invalid", "Invalid query parameters.", errors), status=400
        )
    filterset = DeadlineFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = {name: list(messages) for name, messages in filterset.errors.items()}
        return None, JsonResponse(
            error_body(400, "invalid", "Invalid query parameters.", errors), status=400
        )
    return filterset.qs, None


@require_GET
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming deadlines of open reviews (filters: regulator, jurisdiction, deal, before, after)."""
    reviews, error = filtered_deadlines(request, DeadlineViewSet.queryset.all())
    if error:
        return error
    return ics_response(deadlines_calendar(reviews, "Antitrust deadlines"), "deadlines.ics")


def followed_reviews(user_id: int):
    """Deadlines of the open reviews the user's subscriptions follow, whatever the channel."""
    queryset = DeadlineViewSet.queryset.all()
    followed = followed_ids(
        Subscription.objects.filter(user_id=user_id).only("deal_id", "review_id", "regulator_id")
    )
    if followed is None:
        return queryset
    deals, reviews, regulators = followed
    # A followed deal brings every review covering it, whichever deal leads the review.
    covering = ReviewDeal.objects.filter(deal_id__in=deals).values("review_id")
    return queryset.filter(Q(pk__in=covering) | Q(pk__in=reviews) | Q(regulator_id__in=regulators))


@require_GET
def followed_deadlines_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        # A wrong or revoked token looks like no page at all.
        return JsonResponse(
            error_body(404, "not_found", f"No API resource at {request.path}."), status=404
        )
    reviews, error = filtered_deadlines(request, followed_reviews(feed.user_id))
    if error:
        return error
    return ics_response(deadlines_calendar(reviews, "Deadlines I follow"), "following.ics")


def feed_url(feed: CalendarFeed) -> str:
    return absolute(reverse("deadlines-following-ics", args=[feed.token]))


feed_serializer = inline_serializer("CalendarFeed", {"url": serializers.URLField()})


class CalendarFeedView(APIView):
    """Your personal calendar URL of the deadlines you follow. Keep it secret: it needs no
    header. POST makes a new one; the old URL stops working at once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=feed_serializer)
    def get(self, request):
        feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
        return Response({"url": feed_url(feed)})

    @extend_schema(request=None, responses=feed_serializer)
    def post(self, request):
        feed, created = CalendarFeed.objects.get_or_create(user=request.user)
        if not created:
            feed.regenerate()
        return Response({"url": feed_url(feed)})
