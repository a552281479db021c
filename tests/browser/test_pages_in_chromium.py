"""Each page type on the demo data, in a real Chromium at phone and desk widths: the
content a reader needs, no console errors, no horizontal overflow, no serious or critical
accessibility violations (axe-core); screenshots saved for CI."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class PageCase:
    name: str
    heading: str
    must_show: tuple[str, ...]


def case_path(name: str) -> str:
    from tracker.models import Review

    if name == "proceeding":
        return Review.objects.get(
            regulator__slug="cma", deal__slug="vodafone-three"
        ).get_absolute_url()
    return {
        "home": "/",
        "deal": "/deals/microsoft-activision/",
        "regulator": "/regulators/ec/",
        "party": "/parties/microsoft/",
        "deadlines": "/deadlines/",
        "search": "/search/?q=anthropic",
    }[name]


CASES = [
    PageCase(
        "home",
        "Competition reviews of tech deals",
        ("Latest events", "Upcoming deadlines", "Open proceedings by regulator", "DOJ"),
    ),
    PageCase(
        "deal",
        "Microsoft / Activision Blizzard",
        (
            "Acquirer",
            "Proceedings",
            "Prohibited",
            "Cleared with remedies",
            "Where each regulator stands",
            "Timeline",
        ),
    ),
    PageCase(
        "proceeding",
        "CMA: Vodafone / CK Hutchison",
        (
            "Deadline history",
            "Clock stops",
            "Extensions",
            "Documents and sources",
            "Cleared with conditions",
        ),
    ),
    PageCase(
        "regulator",
        "European Commission",
        ("Upcoming deadlines", "Open proceedings", "How long its proceedings took", "Median days"),
    ),
    PageCase(
        "party",
        "Microsoft",
        ("Deals", "Microsoft / OpenAI", "as investor", "Proceedings on its deals"),
    ),
    PageCase(
        "deadlines", "Upcoming deadlines", ("subscribe to the deadline calendar", "Remedies review")
    ),
    PageCase(
        "search", "Search", ("Amazon / Anthropic", "Alphabet (Google) / Anthropic", "Anthropic")
    ),
]


def open_at(browser, url: str, width: int) -> None:
    browser.set_window_size(width, 1000)
    browser.get(url)
    assert browser.execute_script("return document.readyState") == "complete"


def console_errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def overflow(browser) -> tuple[int, int]:
    return browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )


def serious_violations(browser, axe_script: str) -> list[str]:
    browser.execute_script(axe_script)
    results = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(done, e => done({error: String(e)}));"
    )
    assert "error" not in results, results
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def save_full_page(browser, path, width: int) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 600), 8000))
    browser.save_screenshot(str(path))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_reads_well_at_phone_and_desk_widths(
    case, demo_site, browser, screenshots, axe_script
):
    from regulators.models import Regulator
    from tests.factories import review_due_in
    from tracker.models import Deal

    # The demo's deadlines have passed; one proceeding due soon fills the deadline lists.
    review_due_in(
        10,
        deal=Deal.objects.get(slug="microsoft-activision"),
        regulator=Regulator.objects.get(slug="ec"),
        title="Microsoft / Activision Blizzard: Remedies review",
        reference="M.99999",
    )
    url = demo_site.url + case_path(case.name)
    for width in WIDTHS:
        open_at(browser, url, width)
        assert case.heading in browser.find_element(By.TAG_NAME, "h1").text
        main = browser.find_element(By.TAG_NAME, "main").get_attribute("textContent")
        for text in case.must_show:
            assert text in main, f"{case.name} at {width}px lacks {text!r}"
        scroll_width, inner_width = overflow(browser)
        assert scroll_width <= inner_width, (
            f"{case.name} overflows at {width}px: {scroll_width} > {inner_width}"
        )
        assert console_errors(browser) == []
        assert serious_violations(browser, axe_script) == []
        save_full_page(browser, screenshots / f"{case.name}-{width}.png", width)


def test_the_timeline_picture_fits_and_matches_the_width(demo_site, browser):
    url = demo_site.url + "/deals/microsoft-activision/"
    for width, shown in ((390, "timeline-narrow"), (1400, "timeline-wide")):
        open_at(browser, url, width)
        visible = [
            svg
            for svg in browser.find_elements(By.CSS_SELECTOR, "svg.timeline-svg")
            if svg.is_displayed()
        ]
        assert [svg.get_attribute("class") for svg in visible] == [f"timeline-svg {shown}"]
        box = visible[0].rect
        assert 0 < box["width"] <= width and box["height"] > 100
        # Its text is drawn at a readable size whatever the width.
        size = browser.execute_script(
            "return parseFloat(getComputedStyle(arguments[0].querySelector('text')).fontSize)"
            " * arguments[0].getBoundingClientRect().width / arguments[0].viewBox.baseVal.width",
            visible[0],
        )
        assert size >= 11, f"timeline text is {size:.1f}px at {width}px"
    # The facts behind the picture, for screen readers and anyone else.
    browser.find_element(By.CSS_SELECTOR, ".timeline-facts summary").click()
    table = browser.find_element(By.CSS_SELECTOR, ".timeline-facts table")
    assert table.is_displayed() and "Phase 2" in table.text


def test_pages_work_without_javascript(demo_site, browser):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_at(browser, demo_site.url + "/", 1400)
        browser.find_element(By.ID, "site-q").send_keys("Vodafone")
        browser.find_element(By.CSS_SELECTOR, ".site-search button").click()
        WebDriverWait(browser, 20).until(expected_conditions.url_contains("/search/?q=Vodafone"))
        browser.find_element(By.PARTIAL_LINK_TEXT, "Vodafone / Three").click()
        WebDriverWait(browser, 20).until(expected_conditions.url_contains("/deals/vodafone-three/"))
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Vodafone / Three")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
