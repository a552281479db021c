"""Docket entries in the shape of CourtListener's `/api/rest/v4/docket-entries/` results,
written for these tests from the courts' own record. Every entry number, date and link is
cited; an entry whose number no source gives (the final judgment of 5 December 2025, the
notices of appeal) is left out.

- US v. Google LLC, 1:20-cv-03010 (D.D.C.), CourtListener docket 18552824:
  https://www.courtlistener.com/docket/18552824/united-states-of-america-v-google-llc/
- The complaint, ECF No. 1 (20 October 2020), and the companion State of Colorado v. Google
  LLC, 1:20-cv-03715 (D.D.C.), complaint ECF No. 3 (17 December 2020): the procedural
  history of the memorandum opinion on liability,
  https://storage.courtlistener.com/recap/gov.uscourts.dcd.223205/gov.uscourts.dcd.223205.1033.0.pdf
  (transcribed at https://en.wikisource.org/wiki/United_States_v._Google/Procedural_History).
- The memorandum opinion on liability, ECF No. 1033 (5 August 2024): the PDF above.
- The executive summary of plaintiffs' proposed final judgment, ECF No. 1062 (filed
  20 November 2024): its page header, "Case 1:20-cv-03010-APM Document 1062 Filed 11/20/24".
- Anthropic's amicus filing, ECF No. 1165-2 (14 February 2025):
  https://www.courtlistener.com/docket/18552824/1165/2/united-states-of-america-v-google-llc/
- The memorandum opinion on remedies, ECF No. 1436 (2 September 2025):
  https://storage.courtlistener.com/recap/gov.uscourts.dcd.223205/gov.uscourts.dcd.223205.1436.0_1.pdf
"""

from __future__ import annotations

US_V_GOOGLE = ("us-dcd", "1:20-cv-03010")
COLORADO_V_GOOGLE = ("us-dcd", "1:20-cv-03715")
DOCKET_API = "https://www.courtlistener.com/api/rest/v4/dockets/18552824/"
DOCKET_PAGE = "https://www.courtlistener.com/docket/18552824/united-states-of-america-v-google-llc/"
LIABILITY_PDF = "recap/gov.uscourts.dcd.223205/gov.uscourts.dcd.223205.1033.0.pdf"
REMEDIES_PDF = "recap/gov.uscourts.dcd.223205/gov.uscourts.dcd.223205.1436.0_1.pdf"
AMICUS_PAGE = "/docket/18552824/1165/2/united-states-of-america-v-google-llc/"


def document(number: int, description: str, attachment: int | None = None, **links) -> dict:
    return {
        "document_number": str(number),
        "attachment_number": attachment,
        "description": description,
        "absolute_url": links.get("absolute_url", ""),
        "filepath_local": links.get("filepath_local", ""),
    }


def entry(number, filed: str, description: str, documents: list | None = None, docket=DOCKET_API):
    found = {
        "entry_number": number,
        "date_filed": filed,
        "description": description,
        "recap_documents": documents if documents is not None else [],
    }
    if docket:
        found["docket"] = docket
    return found


def complaint() -> dict:
    return entry(
        1,
        "2020-10-20",
        "COMPLAINT against GOOGLE LLC filed by UNITED STATES OF AMERICA and eleven states.",
    )


def liability_opinion() -> dict:
    return entry(
        1033,
        "2024-08-05",
        "MEMORANDUM OPINION on liability.",
        [document(1033, "Memorandum Opinion", filepath_local=LIABILITY_PDF)],
    )


def proposed_final_judgment() -> dict:
    return entry(1062, "2024-11-20", "Executive summary of plaintiffs' proposed final judgment.")


def anthropic_amicus() -> dict:
    return entry(
        1165,
        "2025-02-14",
        "MOTION for leave to participate as amicus curiae by Anthropic PBC.",
        [document(1165, "Amicus brief", attachment=2, absolute_url=AMICUS_PAGE)],
    )


def remedies_opinion() -> dict:
    return entry(
        1436,
        "2025-09-02",
        "MEMORANDUM OPINION on remedies.",
        [document(1436, "Memorandum Opinion", filepath_local=REMEDIES_PDF)],
    )


def colorado_complaint() -> dict:
    return entry(
        3,
        "2020-12-17",
        "COMPLAINT against GOOGLE LLC filed by STATE OF COLORADO and other states.",
        docket=None,
    )


def us_v_google_entries() -> list[dict]:
    return [
        complaint(),
        liability_opinion(),
        proposed_final_judgment(),
        anthropic_amicus(),
        remedies_opinion(),
    ]


def page(results: list, next_url: str | None = None) -> dict:
    return {"next": next_url, "previous": None, "results": results}
