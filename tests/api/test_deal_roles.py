"""A proceeding's role on each deal, and the label of a closed proceeding, as the demo
shows them: the search case against Google only reached the Anthropic stake through a
remedy proposal; the CMA found Microsoft / Mistral not to qualify; the FTC concluded its
study of AI partnerships with a staff report."""

import csv
import io

import pytest

from tracker.choices import DealRole, Outcome, ReviewStatus
from tracker.labels import status_label
from tracker.models import Review, ReviewDeal

pytestmark = pytest.mark.django_db


def us_v_google():
    return Review.objects.get(reference="1:20-cv-03010")


def study():
    return Review.objects.get(regulator__slug="ftc", review_type="market_study")


def test_the_search_case_reaches_the_stake_and_the_study_covers_each_deal(demo):
    assert ReviewDeal.objects.get(review=us_v_google()).role == DealRole.REACHES
    assert set(ReviewDeal.objects.filter(review=study()).values_list("role", flat=True)) == {
        DealRole.COVERS
    }
    # The Commission's gun-jumping fine is related to Illumina / GRAIL; every other
    # proceeding reviews its deals.
    fine = ReviewDeal.objects.get(review__reference="M.10493")
    assert (fine.deal.slug, fine.role) == ("illumina-grail", DealRole.RELATED)
    others = ReviewDeal.objects.exclude(review__in=[us_v_google(), study(), fine.review])
    assert set(others.values_list("role", flat=True)) == {DealRole.REVIEWS}


def test_deal_detail_gives_each_proceedings_role(api, demo):
    body = api.get("/api/v1/deals/alphabet-anthropic/").json()
    roles = {item["review"]: item["role"] for item in body["review_roles"]}
    assert roles[us_v_google().pk] == "reaches"
    assert roles[study().pk] == "covers"


def test_review_detail_gives_its_role_on_each_deal(api, demo):
    body = api.get(f"/api/v1/reviews/{us_v_google().pk}/").json()
    assert body["deals"] == [
        {"slug": "alphabet-anthropic", "title": body["deals"][0]["title"], "role": "reaches"}
    ]
    body = api.get(f"/api/v1/reviews/{study().pk}/").json()
    assert {d["role"] for d in body["deals"]} == {"covers"}
    assert len(body["deals"]) == 3


def test_deal_page_groups_by_role_and_counts_only_reviews_as_open(client, demo):
    from pages.selectors import deal_page

    page = deal_page("alphabet-anthropic")
    groups = {role: [r.pk for r in reviews] for role, _, reviews in page.role_groups}
    assert us_v_google().pk in groups["reaches"]
    assert study().pk in groups["covers"]
    assert us_v_google().pk not in [r.pk for r in page.open_reviews]
    html = client.get("/deals/alphabet-anthropic/").content.decode()
    assert "Reaches the deal" in html and "Covers the deal" in html


def test_home_does_not_list_googles_appeal_under_the_anthropic_deal(client, demo):
    from pages.selectors import latest_events

    appeal = next(e for e in latest_events(200) if e.title == "Google files notice of appeal")
    assert appeal.listed_title == us_v_google().name
    assert appeal.deal_page == us_v_google().get_absolute_url()


def test_the_deals_timeline_picture_puts_its_reviews_first_and_names_the_other_roles(demo):
    import datetime

    from pages.selectors import deal_page
    from pages.timeline_lanes import lanes_for

    page = deal_page("alphabet-anthropic")
    lanes = lanes_for(
        page.reviews, page.events, page.stops, page.periods, datetime.date(2026, 12, 7), page.deal
    )
    labels = [lane.label for lane in lanes]
    assert labels[0] == "The deal: Alphabet (Google) / Anthropic"
    assert labels[1].startswith("CMA: ")  # the merger inquiry, the one review of the stake
    assert labels[2].startswith("FTC (covers the deal): FTC 6(b) inquiry")
    assert labels[3].startswith("DOJ (reaches the deal): United States v. Google LLC (search)")


def test_the_feed_lists_googles_appeal_under_the_search_case_not_the_stake(client, demo):
    feed = client.get(f"/feeds/events/?review={us_v_google().pk}").content.decode()
    assert (
        "<title>United States v. Google LLC (search), which reaches Alphabet (Google) / Anthropic"
        " - DOJ: Google files notice of appeal</title>"
    ) in feed
    assert "<title>Alphabet (Google) / Anthropic - DOJ:" not in feed


def test_role_link_service_sets_and_changes_the_role(demo):
    from tracker.models import Deal
    from tracker.services import link_deal

    review = us_v_google()
    deal = Deal.objects.get(slug="microsoft-openai")
    assert link_deal(review, deal, DealRole.RELATED) is True
    assert ReviewDeal.objects.get(review=review, deal=deal).role == DealRole.RELATED
    assert link_deal(review, deal, DealRole.REACHES) is False
    assert ReviewDeal.objects.get(review=review, deal=deal).role == DealRole.REACHES


# Labels


@pytest.mark.parametrize(
    ("status", "outcome", "label"),
    [
        (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING, "Closed: not qualifying"),
        (ReviewStatus.CLOSED, Outcome.STUDY_CONCLUDED, "Closed: study concluded"),
        (ReviewStatus.CLOSED, Outcome.JUDGMENT, "Closed: judgment"),
        (ReviewStatus.CLOSED, "", "Closed (no decision)"),
        (ReviewStatus.CLEARED, Outcome.CLEARED, "Cleared"),
        (ReviewStatus.PHASE_2, "", "Phase 2"),
        ("", "", ""),
    ],
)
def test_status_label(status, outcome, label):
    assert status_label(status, outcome) == label


def test_a_not_qualifying_cma_decision_says_so_in_the_api_and_csv(api, demo):
    review = Review.objects.filter(
        regulator__slug="cma", outcome=Outcome.NOT_QUALIFYING, status=ReviewStatus.CLOSED
    ).first()
    body = api.get(f"/api/v1/reviews/{review.pk}/").json()
    assert body["status"] == "closed"
    assert body["status_label"] == "Closed: not qualifying"
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(api.get("/api/v1/reviews/?format=csv").streaming_content).decode())
        )
    )
    row = next(r for r in rows if r["id"] == str(review.pk))
    assert row["status_label"] == "Closed: not qualifying"


def test_the_studys_label_on_its_page_and_in_the_feed(api, client, demo):
    body = api.get(f"/api/v1/reviews/{study().pk}/").json()
    assert body["status_label"] == "Closed: study concluded"
    html = client.get(study().get_absolute_url()).content.decode()
    assert "Closed: study concluded" in html and "Closed (no decision)" not in html
    feed = client.get(f"/feeds/events/?review={study().pk}").content.decode()
    assert "Closed: study concluded" in feed
