"""Free-text search: words, phrases and parts of references through the indexes on
PostgreSQL, ranked, kept current by the database; the simple path elsewhere."""

import datetime

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pagination
from tests.factories import DealFactory, ReviewFactory
from tracker import search
from tracker.models import Deal, Event, Party, Review
from tracker.services import link_deal

V1 = "/api/v1"
postgres = pytest.mark.postgres


def slugs(api, params):
    response = api.get(f"{V1}/deals/", params)
    assert response.status_code == 200, response.json()
    return [row["slug"] for row in response.json()["results"]]


def references(api, params):
    response = api.get(f"{V1}/reviews/", params)
    assert response.status_code == 200, response.json()
    return [row["reference"] for row in response.json()["results"]]


def event_titles(api, params):
    response = api.get(f"{V1}/events/", params)
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


@postgres
def test_words_are_stemmed_and_found_through_the_index(api, cases):
    assert event_titles(api, {"q": "investments"}) == ["Investment tranche"]  # stemmed
    assert event_titles(api, {"q": "launched"}) == ["Phase 1 launch"]  # the body counts
    assert event_titles(api, {"q": "zebra"}) == []
    assert references(api, {"q": "qualifying"}) == ["ME/7080/24"]  # the regulator's own words
    assert references(api, {"q": "not_qualifying"}) == ["ME/7080/24"]  # the structured outcome


@postgres
def test_phrases_and_exclusions_follow_web_search_syntax(api, cases):
    assert event_titles(api, {"q": '"cleared with remedies"'}) == ["Referral requests withdrawn"]
    assert event_titles(api, {"q": '"remedies cleared"'}) == []  # words in another order
    assert event_titles(api, {"q": "investment -tranche"}) == []
    assert event_titles(api, {"q": "launch or withdrawn"}) == [
        "Referral requests withdrawn",
        "Phase 1 launch",
    ]


@postgres
def test_part_of_a_reference_or_a_name_is_found(api, cases):
    assert references(api, {"q": "ME/70"}) == ["ME/7080/24"]
    assert references(api, {"q": "m.117"}) == ["M.11766"]
    assert slugs(api, {"q": "anthro"}) == ["amazon-anthropic"]  # part of a party's name
    assert slugs(api, {"q": "web services"}) == ["amazon-anthropic"]  # a party's alias
    assert references(api, {"q": "azure"}) == ["M.11766"]  # the alias of a party to a covered deal


@postgres
def test_results_are_ranked_and_an_ordering_is_honoured(api, cases):
    # "Amazon" is the first deal's title and only the second's summary: the title ranks first.
    assert slugs(api, {"q": "amazon"}) == ["amazon-anthropic", "microsoft-inflection"]
    assert slugs(api, {"q": "amazon", "ordering": "-announced_on"}) == [
        "microsoft-inflection",
        "amazon-anthropic",
    ]
    response = api.get(f"{V1}/deals/", {"q": "amazon"})
    assert response.json()["count"] == 2 and "count_is_estimate" not in response.json()


@postgres
def test_the_database_keeps_documents_current_for_every_way_of_writing(api, cases):
    review = cases["cma"]
    Event.objects.create(
        review=review,
        deal=review.deal,
        kind="news",
        occurred_on="2024-10-01",
        title="Quokka sighting",
        source_url="https://example.org/a",
    )
    Event.objects.bulk_create(
        [
            Event(
                review=review,
                deal=review.deal,
                kind="news",
                occurred_on="2024-10-02",
                title="Wombat sighting",
                source_url="https://example.org/b",
            )
        ]
    )
    assert event_titles(api, {"q": "quokka"}) == ["Quokka sighting"]
    assert event_titles(api, {"q": "wombat"}) == ["Wombat sighting"]
    Deal.objects.filter(pk=cases["partnership"].pk).update(title="Microsoft / Pi")
    assert slugs(api, {"q": "inflection"}) == []
    assert slugs(api, {"q": "pi"}) == ["microsoft-inflection"]


@postgres
def test_a_party_renamed_or_linked_is_found_at_once(api, cases):
    amazon = cases["amazon"]
    amazon.name = "Amazon Kuiper Holdings"
    amazon.save()
    assert slugs(api, {"q": "kuiper"}) == ["amazon-anthropic"]
    assert references(api, {"q": "kuiper"}) == ["ME/7080/24"]
    link_deal(cases["ec"], cases["investment"])  # the EC proceeding now covers the Amazon deal too
    assert sorted(references(api, {"q": "kuiper"})) == ["M.11766", "ME/7080/24"]


@postgres
@pytest.mark.parametrize(
    "text", ['"', "&", "!!", "'", "\\", "(", ":*", "a | | b", "-", "%_%", "é" * 200]
)
def test_odd_text_is_searched_not_refused(api, cases, text):
    for resource in ("deals", "reviews", "events", "parties"):
        response = api.get(f"{V1}/{resource}/", {"q": text})
        assert response.status_code == 200, (resource, text, response.content)


@pytest.mark.django_db
def test_too_long_text_is_a_400_naming_q(api):
    response = api.get(f"{V1}/deals/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


@postgres
def test_many_matches_keep_the_list_order_and_estimate_their_count(api, cases, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 1)
    response = api.get(f"{V1}/deals/", {"q": "amazon"})
    body = response.json()
    # The list's own order (newest announced first), not relevance.
    assert [row["slug"] for row in body["results"]] == ["microsoft-inflection", "amazon-anthropic"]
    assert body["count_is_estimate"] is True and response["X-Count-Estimate"] == "true"
    assert body["count"] >= 2


@postgres
def test_search_plans_use_the_indexes(cases):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tables this small would be scanned
    plans = {
        model: model.objects.filter(search.own_match(name, "ME/70")).order_by().explain()
        for name, model in (("event", Event), ("review", Review), ("deal", Deal), ("party", Party))
    }
    assert "event_search_idx" in plans[Event]
    assert "review_search_idx" in plans[Review] and "review_reference_trgm_idx" in plans[Review]
    assert "deal_search_idx" in plans[Deal] and "deal_title_trgm_idx" in plans[Deal]
    assert "party_search_idx" in plans[Party] and "party_name_trgm_idx" in plans[Party]


def test_the_simple_path_matches_each_word_in_a_searchable_field(cases, monkeypatch):
    # The path SQLite takes; on PostgreSQL it is forced, so the test runs on both.
    monkeypatch.setattr(search, "uses_index", lambda: False)
    found = search.search_deals(Deal.objects.all(), "web services")
    assert [deal.slug for deal in found.queryset] == ["amazon-anthropic"]
    assert not found.ranked and not found.count_is_estimate
    reviews = search.search_reviews(Review.objects.all(), "ME/70 phase").queryset
    assert list(reviews) == [cases["cma"]]
    assert list(search.search_events(Event.objects.all(), "zebra").queryset) == []


@postgres
def test_a_search_says_what_it_found(cases, monkeypatch):
    found = search.search("review", Review.objects.order_by("-id"), "amazon")
    assert found.ranked and not found.count_is_estimate
    assert sorted(found.queryset.values_list("reference", flat=True)) == ["M.11766", "ME/7080/24"]
    ranks = [row.search_rank for row in found.by_relevance()]
    assert len(ranks) == 2 and ranks == sorted(ranks, reverse=True)
    assert search.search("review", Review.objects.all(), "zebra").queryset.count() == 0
    monkeypatch.setattr(search, "RANKED_MATCHES", 1)  # two matches are more than it ranks
    many = search.search("review", Review.objects.order_by("-id"), "amazon")
    assert many.count_is_estimate and not many.ranked
    assert many.by_relevance().query.order_by == ("-id",)


@pytest.mark.django_db
def test_deep_pages_read_ids_first_and_give_the_same_rows(api, monkeypatch, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0  # each request builds its page
    deal = DealFactory()
    for day in range(1, 8):
        ReviewFactory(deal=deal, reference=f"R/{day}", opened_on=datetime.date(2024, 1, day))
    plain = references(api, {"page_size": 2, "page": 3})
    monkeypatch.setattr(pagination, "IDS_FIRST_OFFSET", 1)
    with CaptureQueriesContext(connection) as ctx:
        deep = references(api, {"page_size": 2, "page": 3})
    assert deep == plain == ["R/3", "R/2"]
    ids_query = [q["sql"] for q in ctx.captured_queries if "LIMIT 3 OFFSET 4" in q["sql"]]
    assert ids_query and "JOIN" not in ids_query[0]  # the ids from the reviews table alone
    words = {"page_size": 2, "page": 2, "q": deal.title.split()[0]}  # every review, ranked
    searched = references(api, words)
    monkeypatch.setattr(pagination, "IDS_FIRST_OFFSET", 10_000)
    assert len(searched) == 2 and searched == references(api, words)


@pytest.mark.django_db
def test_numbered_pages_stop_at_the_depth_a_reader_pages_and_point_at_the_cursor(api, settings):
    deal = DealFactory()
    for day in range(1, 8):
        ReviewFactory(deal=deal, reference=f"R/{day}", opened_on=datetime.date(2024, 1, day))
    assert references(api, {"page_size": 2, "page": 3}) == ["R/3", "R/2"]
    assert api.get(f"{V1}/reviews/", {"page_size": 200, "page": 50}).status_code == 404  # empty
    deep = api.get(f"{V1}/reviews/", {"page_size": 200, "page": 51})  # row 10,001 and on
    assert deep.status_code == 400
    assert "cursor" in deep.json()["errors"]["page"][0]


@pytest.mark.django_db
def test_a_list_is_counted_on_its_ids(api, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0  # each request builds its page
    DealFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(f"{V1}/deals/").json()["count"] == 1
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert counts and "SUM(" not in counts[0]  # not each deal's total committed


@postgres
@pytest.mark.django_db
def test_long_lists_estimate_their_count_and_page_to_the_end(api, monkeypatch):
    deal = DealFactory()
    for day in range(1, 8):
        ReviewFactory(deal=deal, reference=f"R/{day}", opened_on=datetime.date(2024, 1, day))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_review")
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 3)
    first = api.get(f"{V1}/reviews/", {"page_size": 3})
    assert first.json()["count_is_estimate"] is True and first["X-Count-Estimate"] == "true"
    last = api.get(f"{V1}/reviews/", {"page_size": 3, "page": 3}).json()
    assert [row["reference"] for row in last["results"]] == ["R/1"] and last["next"] is None
    assert api.get(f"{V1}/reviews/", {"page_size": 3, "page": 4}).status_code == 404


def counts_run(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


@postgres
def test_a_search_is_counted_exactly_on_its_matches_and_with_other_filters(api, cases, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    body = api.get(f"{V1}/reviews/", {"q": "amazon"}).json()
    assert body["count"] == 2 and len(body["results"]) == 2 and "count_is_estimate" not in body
    body = api.get(f"{V1}/reviews/", {"q": "amazon", "regulator": "cma"}).json()
    assert body["count"] == 1 and [row["reference"] for row in body["results"]] == ["ME/7080/24"]
    body = api.get(f"{V1}/reviews/", {"q": "amazon", "page_size": 1, "page": 2}).json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"] is None


@postgres
def test_common_words_are_counted_by_the_plan_and_listed_in_the_list_order(
    api, db, monkeypatch, settings
):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)  # 40 cloud deals are more than it ranks
    DealFactory.create_batch(
        40, title=factory.Sequence(lambda n: f"Cloud deal {n}"), deal_type="acquisition"
    )
    DealFactory.create_batch(
        5, title=factory.Sequence(lambda n: f"Chip deal {n}"), deal_type="acquisition"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_deal")
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"{V1}/deals/", {"q": "cloud", "page_size": 10})
    body = response.json()
    assert body["count_is_estimate"] is True and response["X-Count-Estimate"] == "true"
    assert body["count"] > 0 and len(body["results"]) == 10
    assert all(row["title"].startswith("Cloud deal") for row in body["results"])
    assert counts_run(ctx) == []  # estimated: no count walks the matches
    assert len([q for q in ctx.captured_queries if q["sql"].startswith("EXPLAIN")]) == 1
    body = api.get(f"{V1}/deals/", {"q": "cloud", "deal_type": "merger", "page_size": 10}).json()
    assert body["results"] == []


@postgres
def test_a_search_is_prepared_once_it_repeats(api, cases, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    for text in ["amazon", "anthropic", "inflection", "microsoft", "tranche", "azure", "cloud"]:
        assert api.get(f"{V1}/reviews/", {"q": text}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%UNION ALL%"tracker_reviewdeal"%'],
        )
        prepared = [row[0] for row in cursor.fetchall()]
    # One statement for every text long enough to be a fragment, its words as parameters.
    assert len(prepared) == 1 and "$1" in prepared[0]
    assert "amazon" not in prepared[0].lower()
