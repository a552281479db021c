"""A register's link to its next page is followed on the register's own origin only."""

import pytest

from imports.client import PoliteClient, SourceUnreachable, next_page
from imports.sources import federal_register

BASE = "https://www.federalregister.gov/api/v1"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/api/v1/documents.json?page=2",
        "http://www.federalregister.gov/api/v1/documents.json?page=2",  # another scheme
        "https://www.federalregister.gov:8443/api/v1/documents.json?page=2",  # another port
        "file:///etc/passwd",
        "javascript:alert(1)",
        ["not", "a", "link"],
    ],
)
def test_a_link_off_the_registers_origin_is_refused(link):
    with pytest.raises(SourceUnreachable, match="leaves the register's origin"):
        next_page(BASE, {"next_page_url": link}, "next_page_url")


def test_a_link_on_the_origin_is_followed_and_none_ends_the_list():
    link = "https://www.federalregister.gov/api/v1/documents.json?page=2"
    assert next_page(BASE, {"next_page_url": link}, "next_page_url") == link
    assert next_page(BASE, {"next_page_url": None}, "next_page_url") is None
    assert next_page(BASE, {}, "next_page_url") is None


def test_the_federal_register_listing_stops_at_a_foreign_next_page(httpserver, settings):
    settings.FEDERAL_REGISTER_API_URL = httpserver.url_for("/api/v1")
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_RETRIES = 1
    httpserver.expect_request("/api/v1/documents.json").respond_with_json(
        {"count": 0, "results": [], "next_page_url": "http://169.254.169.254/latest/meta-data"}
    )
    with pytest.raises(SourceUnreachable, match="leaves the register's origin"):
        list(federal_register.list_entries(PoliteClient()))
    assert len(httpserver.log) == 1  # nothing was asked of the other host
