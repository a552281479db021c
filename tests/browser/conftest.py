"""A real headless Chromium, driven by Selenium, against pytest-django's live server with
the demo data loaded.

Chromium and its driver are Debian's (`chromium`, `chromium-driver`), given by path so
Selenium never tries to download a browser. The axe-core script comes from the npm
package (.ci/run installs it). Missing locally, the browser tests are skipped with the
reason; under CI=true a missing piece fails the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_SCRIPT = Path(
    os.environ.get("AXE_CORE_JS", ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js")
)
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "artifacts" / "screenshots"))
WIDTHS = (390, 1400)
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",  # widths measured are the page's, not the page's less a scrollbar
)


def missing_pieces() -> list[str]:
    missing = []
    if not (os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if not (os.access(CHROMEDRIVER, os.X_OK)):
        missing.append(f"chromedriver at {CHROMEDRIVER} (apt-get install chromium-driver)")
    try:
        import selenium  # noqa: F401 only whether it is installed
    except ImportError:
        missing.append("the selenium package (pip install -r requirements.txt)")
    if not AXE_SCRIPT.is_file():
        missing.append(
            f"axe-core at {AXE_SCRIPT} (npm install --prefix .ci axe-core, as .ci/run does)"
        )
    return missing


def pytest_collection_modifyitems(config, items):
    if any("browser" in item.keywords for item in items):
        require_or_skip(items, "browser", missing_pieces(), "the browser tests' tools")


@pytest.fixture(scope="session")
def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium):
    """The session's Chromium with an empty cache and console log for each test."""
    chromium.execute_cdp_cmd("Network.clearBrowserCache", {})
    chromium.get_log("browser")
    return chromium


@pytest.fixture
def demo_site(live_server, settings):
    """The live server with the demo data; links in emails and feeds point at it."""
    from tracker.demo import load_demo

    load_demo()
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe_script() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")
