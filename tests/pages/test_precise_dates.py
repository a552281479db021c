"""Dates on the pages as precise as their sources, in the text and in the markup."""

import pytest

from tracker.models import Review

pytestmark = pytest.mark.django_db


def test_a_month_only_opening_reads_as_the_month_in_text_and_markup(client, demo):
    review = Review.objects.get(regulator__slug="ec", deals__slug="microsoft-inflection")
    assert (str(review.opened_on), review.opened_precision) == ("2024-08-01", "month")
    body = client.get(review.get_absolute_url()).content.decode()
    assert '<dt>Opened</dt><dd><time datetime="2024-08">August 2024</time></dd>' in body
    assert "1 August 2024" not in body
    deal_page = client.get("/deals/microsoft-inflection/").content.decode()
    assert 'opened <time datetime="2024-08">August 2024</time>' in deal_page


def test_a_month_only_tranche_keeps_its_precision_in_the_markup(client, demo):
    body = client.get("/deals/amazon-anthropic/").content.decode()
    assert '<time datetime="2023-09">September 2023</time>' in body
    assert 'datetime="2023-09-01"' not in body


def test_the_ftc_study_opens_with_its_orders(client, demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    assert (str(study.opened_on), study.opened_precision) == ("2024-01-25", "day")
    body = client.get(study.get_absolute_url()).content.decode()
    assert '<dt>Opened</dt><dd><time datetime="2024-01-25">25 January 2024</time></dd>' in body


def test_a_press_sourced_event_is_marked_as_reported(client, demo):
    body = client.get("/deals/alphabet-anthropic/").content.decode()
    assert '<small class="reported">(reported)</small>' in body


def test_a_proceeding_page_shows_the_formal_opening_beside_the_preliminary_stage(client, demo):
    review = Review.objects.get(regulator__slug="cma", deals__slug="amazon-anthropic")
    body = client.get(review.get_absolute_url()).content.decode()
    assert '<dt>Opened</dt><dd><time datetime="2024-04-24">24 April 2024</time></dd>' in body
    assert '<dt>Formally opened</dt><dd><time datetime="2024-08-08">8 August 2024</time>' in body
    assert "of preliminary stage" in body
    assert "Preliminary inquiry" in body  # its first status change, on the timeline
