import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from digests.models import CalendarFeed
from tests.factories import RegulatorFactory, ReviewFactory, SubscriptionFactory, UserFactory
from tracker.choices import ReviewStatus

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=10)


def entries(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def reviews():
    cma = RegulatorFactory(short_name="CMA", slug="cma", jurisdiction="GB")
    ec = RegulatorFactory(short_name="EC", slug="ec", jurisdiction="EU")
    return {
        "cma": ReviewFactory(
            regulator=cma,
            deal__title="Amazon / Anthropic",
            next_deadline=SOON,
            reference="ME/7080/24",
        ),
        "ec": ReviewFactory(
            regulator=ec,
            deal__title="NVIDIA / Run:ai",
            next_deadline=SOON + datetime.timedelta(days=3),
        ),
        "past": ReviewFactory(
            regulator=ec, next_deadline=timezone.localdate() - datetime.timedelta(days=1)
        ),
        "closed": ReviewFactory(regulator=cma, status=ReviewStatus.CLEARED, next_deadline=SOON),
    }


def test_the_feed_lists_upcoming_deadlines_of_open_reviews_as_all_day_entries(client, reviews):
    found = entries(client.get("/api/v1/deadlines.ics"))

    cma = reviews["cma"]
    assert set(found) == {
        f"review-{cma.pk}-deadline@127.0.0.1",
        f"review-{reviews['ec'].pk}-deadline@127.0.0.1",
    }
    entry = found[f"review-{cma.pk}-deadline@127.0.0.1"]
    assert entry.decoded("DTSTART") == SOON
    assert entry.decoded("DTEND") == SOON + datetime.timedelta(days=1)
    assert "CMA" in str(entry["SUMMARY"]) and "Amazon / Anthropic" in str(entry["SUMMARY"])
    assert "ME/7080/24" in str(entry["DESCRIPTION"])
    assert (
        str(entry["URL"]) == f"{settings.SITE_URL}/proceedings/{cma.pk}/"
    )  # the proceeding's page


def test_a_moved_deadline_keeps_its_uid_so_the_calendar_entry_is_updated(client, reviews):
    cma = reviews["cma"]
    uid = f"review-{cma.pk}-deadline@127.0.0.1"
    before = entries(client.get("/api/v1/deadlines.ics"))[uid]
    cma.next_deadline = SOON + datetime.timedelta(days=7)
    cma.save()

    after = entries(client.get("/api/v1/deadlines.ics"))[uid]

    assert after.decoded("DTSTART") == SOON + datetime.timedelta(days=7)
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("regulator=cma", {"cma"}),
        ("jurisdiction=EU", {"ec"}),
        ("regulator=cma,ec", {"cma", "ec"}),
        (f"before={SOON.isoformat()}", {"cma"}),
        (f"after={(SOON + datetime.timedelta(days=1)).isoformat()}", {"ec"}),
    ],
)
def test_the_feed_takes_the_deadline_filters(client, reviews, query, expected):
    found = entries(client.get(f"/api/v1/deadlines.ics?{query}"))
    assert set(found) == {f"review-{reviews[name].pk}-deadline@127.0.0.1" for name in expected}


def test_the_deal_filter(client, reviews):
    found = entries(client.get(f"/api/v1/deadlines.ics?deal={reviews['ec'].deal.slug}"))
    assert list(found) == [f"review-{reviews['ec'].pk}-deadline@127.0.0.1"]


@pytest.mark.parametrize(
    "query, field",
    [("before=tomorrow", "before"), ("regulatr=cma", "regulatr"), ("after=2024-13-01", "after")],
)
def test_bad_filters_are_a_400_naming_the_parameter(client, reviews, query, field):
    response = client.get(f"/api/v1/deadlines.ics?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.fixture
def reader(reviews):
    user = UserFactory(username="reader")
    SubscriptionFactory(user=user, deal=reviews["cma"].deal)
    return user


def feed_path(client, user):
    client.force_login(user)
    url = client.get("/api/v1/calendar-feed/").json()["url"]
    client.logout()
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_personal_feed_has_the_followed_reviews_without_any_header(client, reviews, reader):
    path = feed_path(client, reader)
    assert path.startswith("/api/v1/deadlines/following/") and path.endswith(".ics")

    found = entries(client.get(path))

    assert list(found) == [f"review-{reviews['cma'].pk}-deadline@127.0.0.1"]


def test_following_a_regulator_or_everything_widens_the_personal_feed(client, reviews, reader):
    SubscriptionFactory(user=reader, regulator=reviews["ec"].regulator)
    assert len(entries(client.get(feed_path(client, reader)))) == 2
    SubscriptionFactory(user=reader)
    assert len(entries(client.get(feed_path(client, reader)))) == 2


def test_a_wrong_token_is_a_404(client, reviews, reader):
    path = feed_path(client, reader)
    assert client.get(path.replace("/following/", "/following/x")).status_code == 404
    assert client.get("/api/v1/deadlines/following/nothing.ics").status_code == 404


def test_regenerating_the_url_cuts_off_the_old_one(client, reviews, reader):
    old = feed_path(client, reader)
    client.force_login(reader)
    new = client.post("/api/v1/calendar-feed/").json()["url"].removeprefix("http://127.0.0.1:8000")
    client.logout()

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=reader).count() == 1


def test_an_inactive_users_feed_is_a_404(client, reviews, reader):
    path = feed_path(client, reader)
    reader.is_active = False
    reader.save()
    assert client.get(path).status_code == 404


def test_the_feed_url_is_only_for_its_signed_in_owner(client, db):
    assert client.get("/api/v1/calendar-feed/").status_code in (401, 403)
    assert client.post("/api/v1/calendar-feed/").status_code in (401, 403)
