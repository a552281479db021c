"""Following the link in a delivered notice email and in an Atom entry opens the page of
that proceeding, in Chromium."""

from __future__ import annotations

import datetime
import re
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


def assert_on_proceeding_page(browser, review) -> None:
    assert browser.current_url.endswith(review.get_absolute_url())
    assert (
        browser.find_element(By.TAG_NAME, "h1").text
        == f"{review.regulator.short_name}: {review.name}"
    )
    assert "Deadline history" in browser.find_element(By.TAG_NAME, "main").text
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_the_link_in_a_status_change_email_opens_the_proceedings_page(demo_site, browser):
    from regulators.models import Regulator
    from tests.factories import SubscriptionFactory, review_due_in
    from tracker.models import Deal
    from tracker.services import transition_review

    deal = Deal.objects.get(slug="illumina-grail")
    review = review_due_in(
        10,
        deal=deal,
        regulator=Regulator.objects.get(slug="cma"),
        title="Illumina / GRAIL follow-up",
    )
    SubscriptionFactory(deal=deal)  # email, immediately
    mail.outbox.clear()

    transition_review(
        review_id=review.pk,
        to_status="phase_2",
        occurred_on=datetime.date.today(),
        source_url="https://www.gov.uk/cma-cases/illumina-grail",
        source_title="CMA case page",
    )

    [message] = mail.outbox
    assert message.subject == "CMA: Illumina / GRAIL follow-up moved to Phase 2"
    [link] = re.findall(r"^The proceeding: (\S+)$", message.body, re.M)
    assert link.startswith(demo_site.url)
    html = message.alternatives[0][0]
    assert f'href="{link}"' in html

    browser.get(link)
    assert_on_proceeding_page(browser, review)
    assert "Phase 2" in browser.find_element(By.CSS_SELECTOR, ".lede .status").text


def test_the_link_of_an_atom_entry_opens_the_proceedings_page(demo_site, browser):
    from tracker.models import Review

    review = Review.objects.get(regulator__slug="cma", deal__slug="vodafone-three")
    feed_url = f"{demo_site.url}/feeds/events/?review={review.pk}"
    with urllib.request.urlopen(feed_url, timeout=10) as response:
        feed = ET.fromstring(response.read())
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {demo_site.url + review.get_absolute_url()}  # every entry of the proceeding
    assert feed.find(f"{ATOM}link").get("href") == demo_site.url + "/"  # the feed's own page: home

    browser.get(links.pop())
    assert_on_proceeding_page(browser, review)
