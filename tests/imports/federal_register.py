"""Federal Register documents in the shape of the API's `documents.json` results, written
for these tests; the companies are fictional."""

FTC = {
    "raw_name": "FEDERAL TRADE COMMISSION",
    "name": "Federal Trade Commission",
    "id": 192,
    "slug": "federal-trade-commission",
}
DOJ = [
    {
        "raw_name": "DEPARTMENT OF JUSTICE",
        "name": "Justice Department",
        "id": 268,
        "slug": "justice-department",
    },
    {
        "raw_name": "Antitrust Division",
        "name": "Antitrust Division",
        "id": 24,
        "slug": "antitrust-division",
    },
]


def document(number: str, title: str, published: str, agencies, doc_type: str = "Notice") -> dict:
    return {
        "document_number": number,
        "title": title,
        "type": doc_type,
        "abstract": f"Abstract of {title[:60]}.",
        "html_url": f"https://www.federalregister.gov/documents/{published.replace('-', '/')}/{number}/example",
        "publication_date": published,
        "agencies": agencies if isinstance(agencies, list) else [agencies],
    }


def consent_order() -> dict:
    return document(
        "2026-10101",
        "Examplo Holdings plc and Widgetco Limited; Analysis of Agreement Containing Consent "
        "Orders To Aid Public Comment",
        "2026-06-02",
        FTC,
    )


def tunney_act() -> dict:
    return document(
        "2026-10202",
        "United States v. Examplo Holdings plc, et al.; Proposed Final Judgment and Competitive Impact Statement",
        "2026-07-14",
        DOJ,
    )


def unknown_parties() -> dict:
    return document(
        "2026-10303",
        "Nobody Corp. and Nothing LLC; Analysis of Agreement Containing Consent Orders To Aid Public Comment",
        "2026-08-03",
        FTC,
    )


def early_termination() -> dict:
    return document("2026-10404", "Early Termination Notices", "2026-08-10", FTC)


def a_rule() -> dict:
    return document(
        "2026-10505",
        "Premerger Notification; Reporting and Waiting Period Requirements",
        "2026-09-01",
        FTC,
        doc_type="Rule",
    )
