"""The reads behind the public pages: each page's rows in a fixed number of queries,
however many rows there are (tests pin the numbers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from regulators.models import Regulator
from tracker.choices import DealRole, EventKind, Outcome, ReviewType
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import (
    ClockStop,
    DeadlineExtension,
    DeadlinePeriod,
    Deal,
    DealParty,
    Event,
    Party,
    Review,
    ReviewDeal,
)
from tracker.search import search_deals, search_parties, search_reviews
from tracker.stats import review_durations

PAGE_SIZE = 50
# A timeline is listed a page at a time; the picture draws all of it.
EVENTS_PER_PAGE = 50
LATEST_EVENTS = 20
UPCOMING = 10
OPEN_PER_REGULATOR = 5
SEARCH_LIMIT = 25


def reviews_listed():
    """Proceedings with what a row about one shows: regulator, lead deal, court."""
    return Review.objects.select_related("regulator", "deal", "court")


def events_listed():
    return Event.objects.select_related("deal", "review__regulator", "review__deal")


def link_events(events: list[Event], not_reviewing: set[int] | None = None) -> list[Event]:
    """Set each event's `review_page` and `deal_page` paths, reversing each URL once per
    proceeding or deal rather than once per event."""
    paths: dict[tuple[str, int], str] = {}

    def page_of(obj) -> str:
        key = (obj._meta.model_name, obj.pk)
        if key not in paths:
            paths[key] = obj.get_absolute_url()
        return paths[key]

    # A proceeding's own event is listed under its lead deal only where it reviews that
    # deal: a monopolisation case whose remedy reached a stake is shown under its own title.
    whole = {event.review_id for event in events if event.review_id and not event.deal_id}
    if not_reviewing is None:
        not_reviewing = (
            set(
                ReviewDeal.objects.leads_not_reviewed()
                .filter(review_id__in=whole)
                .values_list("review_id", flat=True)
            )
            if whole
            else set()
        )
    for event in events:
        event.review_page = page_of(event.review) if event.review_id else ""
        if event.review_id in not_reviewing and not event.deal_id:
            event.deal_page = event.review_page
            event.listed_title = event.review.name
        else:
            event.deal_page = page_of(event.listed_deal)
            event.listed_title = event.listed_deal.title
    return events


def events_page(events: list[Event], page_number) -> Page:
    """A page of a timeline already loaded (for its picture): slicing, no further query."""
    return Paginator(events, EVENTS_PER_PAGE).get_page(page_number)


def upcoming_deadlines(today: datetime.date):
    return reviews_listed().open().filter(next_deadline__gte=today).order_by("next_deadline", "id")


# Home


@dataclass
class RegulatorOpen:
    regulator: Regulator
    open_count: int
    reviews: list = field(default_factory=list)


def latest_events(limit: int = LATEST_EVENTS) -> list[Event]:
    return link_events(list(events_listed().order_by("-occurred_on", "-id")[:limit]))


def open_by_regulator(per_regulator: int = OPEN_PER_REGULATOR) -> list[RegulatorOpen]:
    """Each regulator with open proceedings, their number and the latest opened few."""
    regulators = (
        Regulator.objects.annotate(
            open_count=Count("reviews", filter=Q(reviews__status__in=OPEN_STATUSES))
        )
        .filter(open_count__gt=0)
        .order_by("short_name", "jurisdiction")
    )
    groups = {r.pk: RegulatorOpen(r, r.open_count) for r in regulators}
    ranked = (
        reviews_listed()
        .open()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("regulator_id")],
                order_by=[F("opened_on").desc(nulls_last=True), F("id").desc()],
            )
        )
        .filter(rank__lte=per_regulator)
        .order_by("regulator_id", "rank")
    )
    for review in ranked:
        groups[review.regulator_id].reviews.append(review)
    return list(groups.values())


# Deal


@dataclass
class DealPage:
    deal: Deal
    roles: list[DealParty]
    reviews: list[Review]
    events: list[Event]
    stops: list[ClockStop]
    periods: list[DeadlinePeriod]

    @property
    def role_groups(self) -> list[tuple[str, str, list[Review]]]:
        """The proceedings by their role on the deal, (role, label, reviews): those that
        review it first, then a study that covers it, a remedy that reaches it, the related."""
        return [
            (role.value, role.label, group)
            for role in DealRole
            if (group := [r for r in self.reviews if r.role_on_deal == role])
        ]

    @property
    def open_reviews(self) -> list[Review]:
        """The open proceedings that review the deal (a study or a remedy elsewhere does not)."""
        return [r for r in self.reviews if r.role_on_deal == DealRole.REVIEWS and r.is_open]

    @property
    def tranches(self) -> list[Event]:
        return sorted(
            (
                e
                for e in self.events
                if e.kind == EventKind.INVESTMENT and e.deal_id == self.deal.pk
            ),
            key=lambda e: (e.occurred_on, e.pk),
        )

    @property
    def undisclosed_tranches(self) -> int:
        """Investments whose sources give no amount: why the tranches fall short of the headline."""
        return sum(1 for e in self.tranches if e.amount is None)


def deal_page(slug: str) -> DealPage:
    deal = get_object_or_404(Deal.objects.with_total_committed(), slug=slug)
    roles = list(
        DealParty.objects.filter(deal=deal).select_related("party").order_by("role", "party__name")
    )
    reviews = list(
        reviews_listed()
        .filter(deal_links__deal=deal)
        .order_by(F("opened_on").asc(nulls_last=True), "id")
    )
    attach_other_deals(reviews, exclude=deal.pk)
    review_ids = [r.pk for r in reviews]
    events = list(Event.objects.on_timeline_of(deal).order_by("-occurred_on", "-id"))
    # Every event on the timeline belongs to the deal or to a proceeding covering it, all
    # loaded above: set them rather than join them again on each event row.
    by_id = {review.pk: review for review in reviews}
    for event in events:
        if event.deal_id == deal.pk:
            event.deal = deal
        if event.review_id in by_id:
            event.review = by_id[event.review_id]
    link_events(events, not_reviewing={r.pk for r in reviews if r.lead_role != DealRole.REVIEWS})
    stops = list(ClockStop.objects.filter(review_id__in=review_ids).order_by("stopped_on"))
    periods = list(
        DeadlinePeriod.objects.filter(review_id__in=review_ids).order_by("created_at", "id")
    )
    return DealPage(deal, roles, reviews, events, stops, periods)


def attach_other_deals(reviews: list[Review], exclude: int | None = None) -> None:
    """Set `other_deals` on each review: the other deals it covers, in one query; and
    `role_on_deal`, its role on the deal `exclude`."""
    links = (
        ReviewDeal.objects.filter(review_id__in=[r.pk for r in reviews])
        .select_related("deal")
        .order_by("id")
    )
    by_review: dict[int, list[Deal]] = {r.pk: [] for r in reviews}
    roles: dict[int, str] = {}
    lead_roles: dict[int, str] = {}
    leads = {r.pk: r.deal_id for r in reviews}
    for link in links:
        if link.deal_id == leads[link.review_id]:
            lead_roles[link.review_id] = link.role
        if link.deal_id != exclude:
            by_review[link.review_id].append(link.deal)
        else:
            roles[link.review_id] = link.role
    for review in reviews:
        review.other_deals = by_review[review.pk]
        review.role_on_deal = roles.get(review.pk, DealRole.REVIEWS)
        review.lead_role = lead_roles.get(review.pk, DealRole.REVIEWS)


# Proceeding


@dataclass
class ProceedingPage:
    review: Review
    deals: list[Deal]
    events: list[Event]
    stops: list[ClockStop]
    extensions: list[DeadlineExtension]
    periods: list[DeadlinePeriod]

    @property
    def sources(self) -> list[dict]:
        """Each document cited on the timeline once, newest first, with the case page first."""
        seen, sources = set(), []
        if self.review.url:
            seen.add(self.review.url)
            sources.append(
                {"url": self.review.url, "title": "The case page", "type": "", "on": None}
            )
        for event in self.events:
            if event.source_url and event.source_url not in seen:
                seen.add(event.source_url)
                sources.append(
                    {
                        "url": event.source_url,
                        "title": event.source_title or event.source_url,
                        "type": event.get_source_type_display(),
                        "on": event.occurred_on,
                    }
                )
        return sources


def proceeding_page(pk: int) -> ProceedingPage:
    review = get_object_or_404(reviews_listed(), pk=pk)
    links = list(ReviewDeal.objects.filter(review=review).select_related("deal").order_by("id"))
    deals = [link.deal for link in links]
    for link in links:
        link.deal.role_of_proceeding = link.role  # what the proceeding is to each deal
    events = list(
        Event.objects.filter(review=review).select_related("deal").order_by("-occurred_on", "-id")
    )
    for event in events:
        event.review = review  # the lane and the rows name the regulator without a query each
    lead_role = next((link.role for link in links if link.deal_id == review.deal_id), "")
    link_events(events, not_reviewing={review.pk} if lead_role != DealRole.REVIEWS else set())
    stops = list(ClockStop.objects.filter(review=review).order_by("stopped_on"))
    extensions = list(DeadlineExtension.objects.filter(review=review).order_by("granted_on", "id"))
    periods = list(DeadlinePeriod.objects.filter(review=review).order_by("created_at", "id"))
    return ProceedingPage(review, deals, events, stops, extensions, periods)


# Regulator


@dataclass
class RegulatorPage:
    regulator: Regulator
    open_page: Page
    upcoming: list[Review]
    durations: list[dict]


def regulator_page(slug: str, page_number, today: datetime.date) -> RegulatorPage:
    regulator = get_object_or_404(Regulator, slug=slug)
    open_reviews = (
        reviews_listed()
        .filter(regulator=regulator)
        .open()
        .order_by(F("next_deadline").asc(nulls_last=True), "-opened_on", "-id")
    )
    open_page = Paginator(open_reviews, PAGE_SIZE).get_page(page_number)
    upcoming = list(upcoming_deadlines(today).filter(regulator=regulator)[:UPCOMING])
    durations = review_durations(
        Review.objects.filter(regulator=regulator), group_by=["review_type", "outcome"]
    )
    for row in durations:
        row["review_type_label"] = ReviewType(row["review_type"]).label
        row["outcome_label"] = Outcome(row["outcome"]).label if row["outcome"] else "Not recorded"
    return RegulatorPage(regulator, open_page, upcoming, durations)


# Party


@dataclass
class PartyPage:
    party: Party
    roles: list[DealParty]
    reviews: list[Review]


def party_page(slug: str) -> PartyPage:
    party = get_object_or_404(Party, slug=slug)
    roles = list(
        DealParty.objects.filter(party=party)
        .select_related("deal")
        .order_by("-deal__announced_on", "deal__title")
    )
    reviews = list(
        reviews_listed()
        .filter(
            pk__in=ReviewDeal.objects.filter(deal__deal_parties__party=party).values("review_id")
        )
        .order_by(F("opened_on").desc(nulls_last=True), "-id")
    )
    return PartyPage(party, roles, reviews)


# Deadlines


def deadlines_page(page_number, today: datetime.date) -> Page:
    return Paginator(upcoming_deadlines(today), PAGE_SIZE).get_page(page_number)


# Search


@dataclass
class SearchResults:
    deals: list[Deal]
    parties: list[Party]
    proceedings: list[Review]

    @property
    def count(self) -> int:
        return len(self.deals) + len(self.parties) + len(self.proceedings)


def search(text: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Deals by title, summary or a party's name or alias, parties by name or alias,
    proceedings by reference, docket, title or their deals, through the search registry
    (tracker.search): its indexes on PostgreSQL, a word match elsewhere. Most relevant
    first where the registry ranks, then newest."""
    parties = search_parties(Party.objects.order_by("name"), text).queryset
    deals = search_deals(
        Deal.objects.order_by(F("announced_on").desc(nulls_last=True), "title", "pk"), text
    ).by_relevance()
    proceedings = search_reviews(
        reviews_listed().order_by(F("opened_on").desc(nulls_last=True), "-id"), text
    ).by_relevance()
    return SearchResults(list(deals[:limit]), list(parties[:limit]), list(proceedings[:limit]))
