"""DOJ and FTC press releases in the shapes of their lists (the justice.gov press-release
API's `results`, the FTC's competition RSS feed), written for these tests. The titles,
dates and addresses are the real releases'; the teasers and descriptions are short
summaries in our words, and no release id (`uuid`, `guid`, `number`) is given, since none
could be cited. The time of day in a date is ours too (the day is the release's).

Sources:
- DOJ, 20 October 2020, the suit against Google (D.D.C. 1:20-cv-03010):
  https://www.justice.gov/opa/pr/justice-department-sues-monopolist-google-violating-antitrust-laws
  (the docket: https://www.courtlistener.com/docket/18552824/united-states-of-america-v-google-llc/)
- DOJ, 2 September 2025, the remedies decision in that case:
  https://www.justice.gov/opa/pr/department-justice-wins-significant-remedies-against-google
- FTC, 8 December 2022, the suit to block Microsoft / Activision Blizzard:
  https://www.ftc.gov/news-events/news/press-releases/2022/12/ftc-seeks-block-microsoft-corps-acquisition-activision-blizzard-inc
- FTC, 30 March 2021, the challenge to Illumina / GRAIL:
  https://www.ftc.gov/news-events/news/press-releases/2021/03/ftc-challenges-illuminas-proposed-acquisition-cancer-detection-test-maker-grail
- FTC, 3 April 2023, the order that Illumina divest GRAIL:
  https://www.ftc.gov/news-events/news/press-releases/2023/04/ftc-orders-illumina-divest-cancer-detection-test-maker-grail-protect-competition-life-saving-technology-market
- FTC, 25 January 2024, the 6(b) inquiry into AI investments and partnerships:
  https://www.ftc.gov/news-events/news/press-releases/2024/01/ftc-launches-inquiry-generative-ai-investments-partnerships
- FTC, 17 January 2025, the staff report of that study:
  https://www.ftc.gov/news-events/news/press-releases/2025/01/ftc-issues-staff-report-ai-partnerships-investments-study
"""

from __future__ import annotations

import datetime
import zoneinfo
from xml.sax.saxutils import escape

WASHINGTON = zoneinfo.ZoneInfo("America/New_York")
ANTITRUST_DIVISION = [{"name": "Antitrust Division"}]

GOOGLE_SEARCH_URL = "https://www.justice.gov/opa/pr/justice-department-sues-monopolist-google-violating-antitrust-laws"
GOOGLE_REMEDIES_URL = (
    "https://www.justice.gov/opa/pr/department-justice-wins-significant-remedies-against-google"
)
MICROSOFT_ACTIVISION_URL = "https://www.ftc.gov/news-events/news/press-releases/2022/12/ftc-seeks-block-microsoft-corps-acquisition-activision-blizzard-inc"
ILLUMINA_CHALLENGE_URL = "https://www.ftc.gov/news-events/news/press-releases/2021/03/ftc-challenges-illuminas-proposed-acquisition-cancer-detection-test-maker-grail"
ILLUMINA_ORDER_URL = "https://www.ftc.gov/news-events/news/press-releases/2023/04/ftc-orders-illumina-divest-cancer-detection-test-maker-grail-protect-competition-life-saving-technology-market"
AI_INQUIRY_URL = "https://www.ftc.gov/news-events/news/press-releases/2024/01/ftc-launches-inquiry-generative-ai-investments-partnerships"
AI_REPORT_URL = "https://www.ftc.gov/news-events/news/press-releases/2025/01/ftc-issues-staff-report-ai-partnerships-investments-study"


def timestamp(day: datetime.date, hour: int = 11) -> str:
    """A day as the DOJ's API gives it: seconds since 1970, as a string."""
    moment = datetime.datetime.combine(day, datetime.time(hour), WASHINGTON)
    return str(int(moment.timestamp()))


# --- DOJ -----------------------------------------------------------------------------------


def doj_release(title: str, url: str, day: datetime.date, teaser: str, body: str) -> dict:
    return {
        "title": title,
        "url": url,
        "date": timestamp(day),
        "teaser": f"<p>{teaser}</p>",
        "body": f"<p>{body}</p>",
        "component": list(ANTITRUST_DIVISION),
        "topic": [{"name": "Antitrust"}],
    }


def google_search_suit() -> dict:
    return doj_release(
        "Justice Department Sues Monopolist Google For Violating Antitrust Laws",
        GOOGLE_SEARCH_URL,
        datetime.date(2020, 10, 20),
        "The Department and eleven states sue Google to stop it from unlawfully maintaining "
        "monopolies in general search and search advertising.",
        "The civil antitrust complaint, <em>United States v. Google LLC</em>, No. 1:20-cv-03010, "
        "was filed in the U.S. District Court for the District of Columbia under Section 2 of "
        "the Sherman Act.",
    )


def google_remedies() -> dict:
    return doj_release(
        "Department of Justice Wins Significant Remedies Against Google",
        GOOGLE_REMEDIES_URL,
        datetime.date(2025, 9, 2),
        "The court orders remedies after finding that Google unlawfully maintained its "
        "monopolies in general search.",
        "The remedies decision was given in <em>United States v. Google LLC</em>, "
        "No. 1:20-cv-03010 (D.D.C.).",
    )


def doj_page(results: list, count: int | None = None, page: int = 0) -> dict:
    """One page of `/api/v1/press_releases.json`."""
    return {
        "metadata": {
            "resultset": {
                "count": len(results) if count is None else count,
                "pagesize": 50,
                "page": page,
            }
        },
        "results": results,
    }


# --- FTC -----------------------------------------------------------------------------------


def rss_date(day: datetime.date, hour: int = 10) -> str:
    moment = datetime.datetime.combine(day, datetime.time(hour), WASHINGTON)
    return moment.strftime("%a, %d %b %Y %H:%M:%S %z")


def ftc_item(title: str, link: str, day: datetime.date, description: str) -> dict:
    return {
        "title": title,
        "link": link,
        "description": f"<p>{description}</p>",
        "pubDate": rss_date(day),
    }


def microsoft_activision_suit() -> dict:
    return ftc_item(
        "FTC Seeks to Block Microsoft Corp.'s Acquisition of Activision Blizzard, Inc.",
        MICROSOFT_ACTIVISION_URL,
        datetime.date(2022, 12, 8),
        "The Commission issues an administrative complaint: the deal would give Microsoft the "
        "means and motive to harm competition in consoles, subscription services and cloud gaming.",
    )


def illumina_challenge() -> dict:
    return ftc_item(
        "FTC Challenges Illumina's Proposed Acquisition of Cancer Detection Test Maker Grail",
        ILLUMINA_CHALLENGE_URL,
        datetime.date(2021, 3, 30),
        "An administrative complaint alleges the deal would diminish innovation in the US "
        "market for multi-cancer early detection tests.",
    )


def illumina_order() -> dict:
    return ftc_item(
        "FTC Orders Illumina to Divest Cancer Detection Test Maker GRAIL to Protect Competition "
        "in Life-Saving Technology Market",
        ILLUMINA_ORDER_URL,
        datetime.date(2023, 4, 3),
        "The Commission's opinion and final order require Illumina to divest GRAIL.",
    )


def ai_inquiry() -> dict:
    return ftc_item(
        "FTC Launches Inquiry into Generative AI Investments and Partnerships",
        AI_INQUIRY_URL,
        datetime.date(2024, 1, 25),
        "The Commission issues 6(b) orders to Alphabet, Amazon, Anthropic, Microsoft and OpenAI.",
    )


def ai_staff_report() -> dict:
    return ftc_item(
        "FTC Issues Staff Report on AI Partnerships & Investments Study",
        AI_REPORT_URL,
        datetime.date(2025, 1, 17),
        "The staff report describes what the 6(b) study found.",
    )


def rss(items: list[dict]) -> str:
    """The competition press releases' RSS feed holding `items`."""
    rendered = "".join(
        "<item>"
        + "".join(
            f"<{name}>{escape(str(value))}</{name}>"
            for name, value in item.items()
            if value is not None
        )
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xml:base="https://www.ftc.gov/"><channel>'
        "<title>Competition Press Releases</title><link>https://www.ftc.gov/</link>"
        "<description>FTC competition press releases</description><language>en</language>"
        f"{rendered}</channel></rss>"
    )
