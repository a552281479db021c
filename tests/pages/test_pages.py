"""Each public page on the demo data: what a reader needs is there, and bad input is a 4xx."""

import re

import pytest

from tracker.models import Deal, Event, Review

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_home_is_at_the_root_with_latest_events_deadlines_and_open_proceedings(client, due_soon):
    response = client.get("/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = text(response)
    assert (
        "Latest events" in body
        and "Upcoming deadlines" in body
        and "Open proceedings by regulator" in body
    )
    latest = Event.objects.order_by("-occurred_on", "-id").first()
    assert latest.title in body
    assert due_soon.get_absolute_url() in body and "ME/9999/26" in body
    assert "Competition and Markets Authority" in body or "CMA" in body


def test_the_admin_stays_at_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_deal_page_shows_parties_value_tranches_proceedings_and_the_timeline(client, demo):
    deal = Deal.objects.get(slug="amazon-anthropic")
    body = text(client.get(deal.get_absolute_url()))
    assert "<h1>Amazon / Anthropic</h1>" in body
    assert 'href="/parties/amazon/"' in body and "Investor" in body and "Target" in body
    assert "Tranches" in body and "1,250,000,000" in body  # the first tranche, $1.25B
    for review in Review.objects.filter(deal_links__deal=deal):
        assert review.get_absolute_url() in body and review.status_label in body
    # The picture: role, title and a description for screen readers, drawn twice, and its table.
    assert body.count('role="img"') == 2 and "<title id=" in body and "<desc id=" in body
    assert "The picture as a table" in body


def test_deal_page_draws_one_lane_per_proceeding_across_regulators(client, demo):
    deal = Deal.objects.get(slug="microsoft-activision")
    body = text(client.get(deal.get_absolute_url()))
    wide = body[body.index('class="timeline-svg timeline-wide"') :]
    wide = wide[: wide.index("</svg>")]
    assert (
        wide.count('<g class="lane">') == Review.objects.filter(deal_links__deal=deal).count() + 1
    )  # + the deal
    assert 'class="deadline deadline-met"' in wide and 'class="deadline deadline-moved"' in wide
    assert 'class="point point-court"' in wide  # the CAT appeal and the FTC's court steps
    assert 'class="phase phase-phase_2"' in wide


def test_a_clock_stop_is_drawn_over_its_phase(client, demo):
    body = text(client.get("/deals/vodafone-three/"))
    assert body.count('<rect class="stop"') == 2  # once in each drawing
    assert "Clock stopped:" in body


def test_a_proceeding_shared_by_deals_shows_on_each_and_names_the_others(client, demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    covered = list(study.deals.all())
    assert len(covered) > 1
    for deal in covered:
        body = text(client.get(deal.get_absolute_url()))
        assert study.get_absolute_url() in body
        assert "Also covers:" in body


def test_proceeding_page_shows_its_deadline_history_with_why_each_date_moved(client, demo):
    review = Review.objects.get(regulator__slug="cma", deal__slug="vodafone-three")
    body = text(client.get(review.get_absolute_url()))
    assert "Deadline history" in body and "Clock stops" in body and "Extensions" in body
    for period in review.deadline_periods.all():
        assert period.get_state_display() in body
        if period.end_reason:
            assert period.end_reason[:40] in body.replace("&#x27;", "'")
    assert "Documents and sources" in body and review.url in body


def test_regulator_page_lists_open_proceedings_deadlines_and_durations(client, due_soon):
    body = text(client.get("/regulators/cma/"))
    assert "Competition and Markets Authority" in body
    assert due_soon.get_absolute_url() in body and "Upcoming deadlines" in body
    assert "How long its proceedings took" in body and "Median days" in body


def test_party_page_lists_deals_with_roles_and_proceedings(client, demo):
    body = text(client.get("/parties/anthropic/"))
    assert "/deals/amazon-anthropic/" in body and "/deals/alphabet-anthropic/" in body
    assert "as target" in body
    ftc_study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    assert ftc_study.get_absolute_url() in body


def test_deadlines_page_lists_upcoming_deadlines_and_the_calendar_to_subscribe(
    client, due_soon, settings
):
    body = text(client.get("/deadlines/"))
    assert due_soon.get_absolute_url() in body
    assert f'href="{settings.SITE_URL}/api/v1/deadlines.ics"' in body
    assert 'href="webcal://' in body


@pytest.mark.parametrize(
    "q, expected",
    [
        ("anthropic", "/deals/amazon-anthropic/"),  # a deal's title
        ("AWS", "/deals/amazon-anthropic/"),  # a party's alias brings its deals
        ("M.10646", "/proceedings/"),  # a case reference
        ("1:20-cv-03010", "/proceedings/"),  # a docket number
    ],
)
def test_search_finds_deals_parties_and_case_references(client, demo, q, expected):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    body = text(response)
    assert expected in body and "0 results" not in body


def test_search_with_nothing_found_says_so(client, demo):
    assert "0 results" in text(client.get("/search/", {"q": "zyxwvut quaggaplex"}))


@pytest.mark.parametrize("q", ["x" * 101, "%" * 500])
def test_a_too_long_search_is_a_400_that_explains(client, demo, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 400
    assert "at most 100 characters" in text(response)


def test_odd_search_text_is_taken_literally(client, demo):
    for q in ["%", "_", "' OR 1=1 --", "<script>", "\\"]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
        assert "<script>" not in text(response).split("<main", 1)[1]


def test_a_nul_in_the_search_is_refused(client, demo):
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/deals/no-such-deal/",
        "/proceedings/999999/",
        "/regulators/nobody/",
        "/parties/nobody/",
        "/proceedings/x/",
    ],
)
def test_an_unknown_page_is_a_404(client, demo, path):
    assert client.get(path).status_code == 404


def test_a_huge_proceeding_id_is_a_404_not_a_500(client, demo):
    assert client.get("/proceedings/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999"])
def test_any_page_number_gives_a_page(client, due_soon, page):
    assert client.get("/deadlines/", {"page": page}).status_code == 200


def test_pages_are_read_only(client, demo):
    assert client.post("/deals/amazon-anthropic/").status_code == 405
    head = client.head("/deals/amazon-anthropic/")
    assert head.status_code == 200


def test_each_page_links_its_json_csv_atom_and_icalendar_forms(client, demo):
    deal = Deal.objects.get(slug="amazon-anthropic")
    review = Review.objects.filter(deal_links__deal=deal).first()
    for path in [
        "/",
        deal.get_absolute_url(),
        review.get_absolute_url(),
        "/regulators/cma/",
        "/deadlines/",
    ]:
        body = text(client.get(path))
        alternates = re.findall(
            r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"', body
        )
        types = {media_type for media_type, _ in alternates}
        assert {"text/csv", "text/calendar"} <= types, path
        assert "application/json" in types, path
        for _, href in alternates:
            # Each one answers, in its own format.
            response = client.get(href.replace("&amp;", "&"))
            assert response.status_code == 200, href


def test_the_stylesheet_is_served_from_the_app(client):
    from django.contrib.staticfiles import finders

    assert finders.find("pages/site.css")
    assert "http" not in open(finders.find("pages/site.css")).read()  # no CDN, no remote fonts


def test_pages_carry_no_script_and_no_remote_assets(client, demo):
    body = text(client.get("/deals/microsoft-activision/"))
    assert "<script" not in body
    assert not re.search(r'<link[^>]+href="https?://', body)


def test_a_long_timeline_is_listed_fifty_events_a_page_and_drawn_whole(client, demo):
    from tests.factories import EventFactory

    deal = Deal.objects.get(slug="microsoft-mistral")
    EventFactory.create_batch(60, deal=deal, review=None, kind="news", title="Report")
    total = Event.objects.on_timeline_of(deal).count()
    first = text(client.get(deal.get_absolute_url()))
    assert f"{total} events, newest first" in first
    assert first.count('<li class="event ') == 50 and 'rel="next"' in first
    second = text(client.get(deal.get_absolute_url(), {"page": 2}))
    assert second.count('<li class="event ') == total - 50 and 'rel="prev"' in second
