"""CMA case register fixtures in the shapes GOV.UK publishes: search API results and
content API items (specialist documents of type cma_case), written for these tests.

Facts about real cases are those of the CMA's own case pages, as cited in the demo data
(tracker/demo/ai_partnerships.json); "Examplo" and "Widgetco" are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Case:
    slug: str
    title: str
    case_state: str
    outcome_type: str = ""
    opened_date: str = ""
    closed_date: str = ""
    case_type: str = "mergers"
    public_timestamp: str = "2024-01-01T09:00:00+00:00"
    timetable: list[tuple[str, str]] = field(
        default_factory=list
    )  # (date text, action); phase 1 table
    phase_2_timetable: list[tuple[str, str]] = field(default_factory=list)
    entries: list[tuple[str, str, str, list[tuple[str, str, str]]]] = field(default_factory=list)
    # (heading, "d Month yyyy", text, [(document title, url, "d.m.yy")])

    @property
    def link(self) -> str:
        return f"/cma-cases/{self.slug}"

    def search_result(self) -> dict:
        return {
            "title": self.title,
            "link": self.link,
            "public_timestamp": self.public_timestamp,
            "case_type": self.case_type,
            "case_state": self.case_state,
            "outcome_type": self.outcome_type,
            "opened_date": self.opened_date,
            "closed_date": self.closed_date,
        }

    def content_item(self) -> dict:
        attachments = [
            {
                "attachment_type": "file",
                "title": title,
                "url": url,
                "content_type": "application/pdf",
                "created_at": _created_at(listed),
            }
            for _, _, _, docs in self.entries
            for title, url, listed in docs
        ]
        metadata = {
            "case_type": self.case_type,
            "case_state": self.case_state,
            "market_sector": ["not-applicable"],
            "bulk_published": False,
        }
        for name in ("outcome_type", "opened_date", "closed_date"):
            if getattr(self, name):
                metadata[name] = getattr(self, name)
        return {
            "base_path": self.link,
            "title": self.title,
            "description": f"The CMA's investigation of {self.title}.",
            "schema_name": "specialist_document",
            "document_type": "cma_case",
            "public_updated_at": self.public_timestamp,
            "details": {"body": self.body(), "attachments": attachments, "metadata": metadata},
        }

    def body(self) -> str:
        html = []
        if self.timetable or self.phase_2_timetable:
            html.append('<h2 id="statutory-timetable">Statutory timetable</h2>')
            for header, rows in (
                ("Phase 1 date", self.timetable),
                ("Phase 2 date", self.phase_2_timetable),
            ):
                if rows:
                    html.append(
                        f"<table><thead><tr><th>{header}</th><th>Action</th></tr></thead><tbody>"
                    )
                    html += [f"<tr><td>{day}</td><td>{action}</td></tr>" for day, action in rows]
                    html.append("</tbody></table>")
            html.append(
                "<p>(*) This date is the current statutory deadline by when the decision will be announced.</p>"
            )
        html.append('<h2 id="phase-1">Phase 1</h2>')
        for heading, day, text, docs in self.entries:
            html.append(f"<h3>{heading}</h3>")
            html.append(f"<p>{day}: {text}</p>")
            if docs:
                html.append(
                    "<ul>"
                    + "".join(
                        f'<li><a rel="external" href="{url}">{title}</a> ({listed})</li>'
                        for title, url, listed in docs
                    )
                    + "</ul>"
                )
        return "\n".join(html)


def _created_at(listed: str) -> str:
    day, month, year = (int(p) for p in listed.split("."))
    return f"{2000 + year:04d}-{month:02d}-{day:02d}T10:00:00Z"


AMAZON_PAGE = "https://www.gov.uk/cma-cases/amazon-slash-anthropic-partnership-merger-inquiry"
AMAZON_DECISION = (
    "https://assets.publishing.service.gov.uk/media/6710ba44e84ae1fd8592f52c/Full_text_decision.pdf"
)


def amazon_anthropic() -> Case:
    return Case(
        slug="amazon-slash-anthropic-partnership-merger-inquiry",
        title="Amazon.com Inc. / Anthropic PBC partnership merger inquiry",
        case_state="closed",
        outcome_type="mergers-phase-1-found-not-to-qualify",
        opened_date="2024-08-08",
        closed_date="2024-09-27",
        public_timestamp="2024-10-17T10:00:00+00:00",
        timetable=[
            ("4 October 2024", "Deadline for phase 1 decision (*)"),
            ("8 August 2024", "Launch of merger inquiry"),
        ],
        entries=[
            (
                "Invitation to comment (24 April - 9 May 2024)",
                "24 April 2024",
                "The CMA invited comments on whether Amazon's partnership with Anthropic has "
                "created a relevant merger situation.",
                [],
            ),
            (
                "Launch of merger inquiry",
                "8 August 2024",
                "The CMA announced the launch of its merger inquiry by notice to the parties.",
                [],
            ),
            (
                "Phase 1 decision",
                "27 September 2024",
                "The CMA found that the partnership does not qualify for investigation.",
                [("Full text decision", AMAZON_DECISION, "17.10.24")],
            ),
        ],
    )


def alphabet_anthropic() -> Case:
    return Case(
        slug="alphabet-inc-google-llc-slash-anthropic-merger-inquiry",
        title="Alphabet Inc. (Google LLC) / Anthropic merger inquiry",
        case_state="closed",
        outcome_type="mergers-phase-1-found-not-to-qualify",
        opened_date="2024-10-24",
        closed_date="2024-11-19",
        public_timestamp="2024-11-19T10:00:00+00:00",
        entries=[
            (
                "Launch of merger inquiry",
                "24 October 2024",
                "The CMA announced the launch of its merger inquiry by notice to the parties.",
                [],
            ),
            (
                "Phase 1 decision",
                "19 November 2024",
                "The CMA has decided that the partnership does not qualify for investigation.",
                [],
            ),
        ],
    )


def vodafone_three() -> Case:
    return Case(
        slug="vodafone-slash-ck-hutchison-jv-merger-inquiry",
        title="Vodafone / CK Hutchison JV merger inquiry",
        case_state="closed",
        outcome_type="mergers-phase-2-clearance-with-remedies",
        opened_date="2024-01-26",
        closed_date="2024-12-05",
        public_timestamp="2024-12-05T10:00:00+00:00",
        entries=[
            (
                "Phase 1 launch",
                "26 January 2024",
                "The CMA announced the launch of its merger inquiry.",
                [],
            ),
            (
                "Phase 2 reference",
                "4 April 2024",
                "The CMA referred the merger for a phase 2 investigation.",
                [],
            ),
            (
                "Final report",
                "5 December 2024",
                "The CMA cleared the merger subject to remedies.",
                [],
            ),
        ],
    )


VODAFONE_PAGE = "https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry"
VODAFONE_MEDIA = "https://assets.publishing.service.gov.uk/media/vodafone-three"


def vodafone_three_in_phase_2(
    *, with_notices: bool = True, published: str = "7 December 2024"
) -> Case:
    """Vodafone / CK Hutchison as the CMA's page stood in September 2024: in phase 2 (referred
    on 4 April 2024), with a s.39(4) extension from 10 May to 3 June 2024 and an 8-week
    s.39(3) extension of 2 August 2024, the statutory deadline published as 7 December 2024
    (the CMA's case page, https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry)."""
    entries = [
        (
            "Phase 1 launch",
            "26 January 2024",
            "The CMA announced the launch of its merger inquiry.",
            [],
        ),
        (
            "Phase 2 reference",
            "4 April 2024",
            "The CMA referred the merger for a phase 2 investigation.",
            [],
        ),
    ]
    if with_notices:
        entries += [
            (
                "Extension of the statutory timetable",
                "10 May 2024",
                "The CMA extended the reference period under section 39(4) of the Enterprise Act 2002: "
                "CK Hutchison failed to comply with a notice under section 109.",
                [
                    (
                        "Notice of extension under section 39(4)",
                        f"{VODAFONE_MEDIA}/s39-4-notice.pdf",
                        "10.5.24",
                    )
                ],
            ),
            (
                "Cancellation of extension notice",
                "3 June 2024",
                "The CMA cancelled the section 39(4) extension notice: CK Hutchison has complied "
                "with the section 109 notice.",
                [
                    (
                        "Notice of cancellation of extension",
                        f"{VODAFONE_MEDIA}/s39-4-cancellation.pdf",
                        "3.6.24",
                    )
                ],
            ),
            (
                "Extension of the statutory timetable",
                "2 August 2024",
                "The CMA extended the statutory timetable by 8 weeks under section 39(3) for special reasons.",
                [
                    (
                        "Notice of extension under section 39(3)",
                        f"{VODAFONE_MEDIA}/s39-3-notice.pdf",
                        "2.8.24",
                    )
                ],
            ),
        ]
    return Case(
        slug="vodafone-slash-ck-hutchison-jv-merger-inquiry",
        title="Vodafone / CK Hutchison JV merger inquiry",
        case_state="open",
        outcome_type="mergers-phase-1-referral",
        opened_date="2024-01-26",
        public_timestamp="2024-09-13T10:00:00+00:00",
        phase_2_timetable=[
            (published, "Statutory deadline for phase 2 decision (*)"),
            ("4 April 2024", "Phase 2 reference"),
        ],
        entries=entries,
    )


EXAMPLO_SLUG = "examplo-holdings-plc-slash-widgetco-limited-merger-inquiry"
EXAMPLO_PAGE = f"https://www.gov.uk/cma-cases/{EXAMPLO_SLUG}"


def examplo_widgetco(closed: bool = False) -> Case:
    """A fictional case: in phase 2, later cleared with remedies."""
    entries = [
        (
            "Phase 1 launch",
            "2 March 2026",
            "The CMA announced the launch of its merger inquiry.",
            [],
        ),
        (
            "Phase 2 reference",
            "1 May 2026",
            "The CMA referred the merger for a phase 2 investigation.",
            [],
        ),
    ]
    if closed:
        entries.append(
            (
                "Final report",
                "20 November 2026",
                "The CMA cleared the merger subject to remedies.",
                [
                    (
                        "Final report",
                        "https://assets.publishing.service.gov.uk/media/examplo/final_report.pdf",
                        "20.11.26",
                    )
                ],
            )
        )
    return Case(
        slug=EXAMPLO_SLUG,
        title="Examplo Holdings plc / Widgetco Limited merger inquiry",
        case_state="closed" if closed else "open",
        outcome_type="mergers-phase-2-clearance-with-remedies"
        if closed
        else "mergers-phase-1-referral",
        opened_date="2026-03-02",
        closed_date="2026-11-20" if closed else "",
        public_timestamp="2026-11-20T10:00:00+00:00" if closed else "2026-05-01T10:00:00+00:00",
        phase_2_timetable=[
            ("15 October 2026", "Deadline for phase 2 decision (*)"),
            ("1 May 2026", "Phase 2 reference"),
        ],
        entries=entries,
    )


def markets_case() -> Case:
    return Case(
        slug="cloud-services-market-investigation",
        title="Cloud services market investigation",
        case_state="open",
        case_type="markets",
        opened_date="2023-10-05",
    )
