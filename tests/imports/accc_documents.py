"""ACCC acquisitions register pages for the tests, written in the register's shape (the list's
cards and a matter's page, as described in `imports/sources/accc.py`) from real matters.

Every fact is the ACCC's, from the matter's page on its acquisitions register:

- MN-75002 Opal Healthcare – Sunnymeade Park Aged Care Community: notified 19 January
  2026, phase 1, approved 10 February 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/opal-healthcare-%E2%80%93-sunnymeade-park-aged-care-community
- MN-50009 Heidelberg Materials Australia – construction materials business of MAAS:
  notified 28 May 2026, timeline extended by 15 business days on 29 May 2026 after a remedy
  offer, approved with conditions (determination published 31 July 2026).
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/heidelberg-materials-australia-%E2%80%93-construction-materials-business-of-maas
- MN-30003 MicroStar Logistics - Konvoy: effective notification 20 February 2026, subject
  to phase 2 from 1 April 2026, not approved 7 August 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/microstar-logistics-konvoy
- MN-30002 Peter Warren - Wakeling Automotive: notified 5 March 2026, phase 2 notice 2 June
  2026, consideration ceased on the notifying party's request 15 June 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/peter-warren-wakeling-automotive
- MN-01116 Silk Contract Logistics – Toll Transport bulk logistics (glass and plastic)
  assets: notified 30 July 2026, phase 1, end of determination period 10 September 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/silk-contract-logistics-%E2%80%93-toll-transport-bulk-logistics-glass-and-plastic-assets
- MN-40017 Vets Central – Hills Veterinary Centre: notified 1 July 2026, phase 2 notice 18
  August 2026, end of determination period 12 January 2027.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/vets-central-%E2%80%93-hills-veterinary-centre-0
- WA-01092 Winning Group Holdings – Winning Appliances: waiver applied for 23 March 2026,
  approved 23 April 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/winning-group-holdings-%E2%80%93-winning-appliances
- WA-35003 Salesforce – Qualified: waiver applied for 8 January 2026, not approved 21
  January 2026.
  https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register/salesforce-%E2%80%93-qualified

Document links are the ones those pages give; a row with no document has no link.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from html import escape

REGISTER_PATH = "/public-registers/acquisitions-and-mergers-registers/acquisitions-register"
FILES = "/system/files/public-merger-register/documents/"


@dataclass(frozen=True)
class Matter:
    matter_id: str
    title: str
    slug: str
    kind: str  # Notification, Waiver
    status: str  # Under assessment, Assessment completed, Assessment ceased
    stage: str
    notified_on: datetime.date
    acquirers: tuple[tuple[str, str], ...]  # (name, "ABN - 70 675 807 477" or "")
    targets: tuple[tuple[str, str], ...]
    anzsic: tuple[str, ...]
    determination: str = ""
    determined_on: datetime.date | None = None
    period_ends: datetime.date | None = None
    events: tuple[tuple[datetime.date, str, str], ...] = field(default=())  # (day, title, file)

    @property
    def path(self) -> str:
        return f"{REGISTER_PATH}/{self.slug}"

    def but(self, **changes) -> Matter:
        return replace(self, **changes)


D = datetime.date

OPAL = Matter(
    "MN-75002",
    "Opal Healthcare – Sunnymeade Park Aged Care Community",
    "opal-healthcare-%E2%80%93-sunnymeade-park-aged-care-community",
    "Notification",
    "Assessment completed",
    "Phase 1 - initial assessment",
    D(2026, 1, 19),
    (
        ("OHCA Property Holdings Pty Ltd", "ABN - 70 675 807 477"),
        ("DPG Services Pty Ltd", "ABN - 38 090 007 999"),
    ),
    (("The assets and business comprising Sunnymeade Park Aged Care Community", ""),),
    ("8601 Aged Care Residential Services",),
    determination="Approved",
    determined_on=D(2026, 2, 10),
    events=(
        (
            D(2026, 2, 10),
            "Opal Healthcare - Sunnymeade Park Aged Care Community - Phase 1 determination",
            FILES + "Opal%20Healthcare%20-%20Sunnymeade%20Park%20Aged%20Care"
            "%20Community%20-%20phase%201%20determination.pdf",
        ),
    ),
)

HEIDELBERG = Matter(
    "MN-50009",
    "Heidelberg Materials Australia – construction materials business of MAAS",
    "heidelberg-materials-australia-%E2%80%93-construction-materials-business-of-maas",
    "Notification",
    "Assessment completed",
    "Phase 1 - initial assessment",
    D(2026, 5, 28),
    (("HEIDELBERG MATERIALS AUSTRALIA HOLDINGS PTY LTD", "ABN - 98 611 565 649"),),
    (("MAAS GROUP HOLDINGS LIMITED", "ABN - 84 632 994 542"),),
    ("0911 Gravel and Sand Quarrying", "0919 Other Construction Material Mining"),
    determination="Approved with conditions",
    determined_on=D(2026, 7, 31),
    events=(
        (
            D(2026, 7, 30),
            "Heidelberg Materials Australia - construction materials business of MAAS - Phase 1 determination",
            FILES + "HMA-MAAS%20Phase%201%20determination%20and%20statement%20of%20reasons_2.pdf",
        ),
        (
            D(2026, 5, 29),
            "Timeline extended by 15 business days – following remedy offered by parties",
            "",
        ),
    ),
)

MICROSTAR = Matter(
    "MN-30003",
    "MicroStar Logistics - Konvoy",
    "microstar-logistics-konvoy",
    "Notification",
    "Assessment completed",
    "Phase 2 - detailed assessment",
    D(2026, 2, 20),
    (("KEGSTAR PTY LIMITED", "ABN - 81 157 818 990"),),
    (("KONVOY HOLDINGS PTY LIMITED", "ABN - 66 634 234 549"),),
    ("6639 Other Goods and Equipment Rental and Hiring n.e.c.",),
    determination="Not approved",
    determined_on=D(2026, 8, 7),
    events=(
        (
            D(2026, 8, 7),
            "MicroStar-Konvoy - Phase 2 determination",
            FILES + "Microstar%20Konvoy%20-%20Phase%202%20Determination"
            "%20AR%20version%20-%207%20August%202026_4.pdf",
        ),
        (
            D(2026, 5, 13),
            "Summary of Notice of Competition Concerns",
            FILES + "MN-30003%20MicroStar%20Konvoy%20-%20Notice%20of%20Competition"
            "%20Concerns%20%28summary%29%20-%2013%20May%202026_4.pdf",
        ),
        (
            D(2026, 4, 1),
            "ACCC decided notification is subject to Phase 2 review",
            FILES
            + "MN-30003%20Microstar%20Konvoy%20-%20UPDATED%20Phase%202%20notice%20-%201%20April%202026_3.pdf",
        ),
    ),
)

# MN-30003 as the register showed it before the phase 2 decision of 1 April 2026.
MICROSTAR_IN_PHASE_1 = MICROSTAR.but(
    status="Under assessment",
    stage="Phase 1 - initial assessment",
    determination="",
    determined_on=None,
    events=(),
)
# ... and between that decision and the determination.
MICROSTAR_IN_PHASE_2 = MICROSTAR.but(
    status="Under assessment", determination="", determined_on=None, events=MICROSTAR.events[2:]
)

PETER_WARREN = Matter(
    "MN-30002",
    "Peter Warren - Wakeling Automotive",
    "peter-warren-wakeling-automotive",
    "Notification",
    "Assessment ceased",
    "Phase 2 - detailed assessment",
    D(2026, 3, 5),
    (("PETER WARREN AUTOMOTIVE HOLDINGS LIMITED", "ABN - 57 615 674 185"),),
    (("Paul Wakeling Motor Group Pty Ltd", "ABN - 47 119 908 780"),),
    ("3911 Car Retailing",),
    events=(
        (
            D(2026, 6, 2),
            "Peter Warren - Wakeling Automotive - Phase 2 Notice",
            FILES + "%20Wakeling%20Automotive%20-%20Phase%202%20notice%20-%202%20June%202026_0.pdf",
        ),
        (
            D(2026, 6, 15),
            "Consideration of Notification ceased – following written request from notifying party",
            "",
        ),
    ),
)

SILK = Matter(
    "MN-01116",
    "Silk Contract Logistics – Toll Transport bulk logistics (glass and plastic) assets",
    "silk-contract-logistics-%E2%80%93-toll-transport-bulk-logistics-glass-and-plastic-assets",
    "Notification",
    "Under assessment",
    "Phase 1 - initial assessment",
    D(2026, 7, 30),
    (("SILK CONTRACT LOGISTICS PTY LTD", "ABN - 56 006 444 355"),),
    (("TOLL TRANSPORT PTY. LIMITED", "ABN - 31 006 604 191"),),
    ("4610 Road Freight Transport", "5292 Freight Forwarding Services"),
    period_ends=D(2026, 9, 10),
)

VETS_CENTRAL = Matter(
    "MN-40017",
    "Vets Central – Hills Veterinary Centre",
    "vets-central-%E2%80%93-hills-veterinary-centre-0",
    "Notification",
    "Under assessment",
    "Phase 2 - detailed assessment",
    D(2026, 7, 1),
    (("VC OPERATIONS (WA) PTY LTD", "ABN - 28 646 499 005"),),
    (("CARRUTHERS, JONATHAN JULIAN", "ABN - 22 148 400 175"),),
    ("6970 Veterinary Services",),
    period_ends=D(2027, 1, 12),
    events=(
        (
            D(2026, 8, 18),
            "Vets Central - Hills Veterinary Centre - Phase 2 Notice",
            FILES + "Vets%20Central%20-%20Hills%20Veterinary%20Centre%20-%20Phase%202"
            "%20notice%20-%2018%20August%202026%20%28INTERNAL%20VERSION%29.pdf",
        ),
    ),
)

WINNING = Matter(
    "WA-01092",
    "Winning Group Holdings – Winning Appliances",
    "winning-group-holdings-%E2%80%93-winning-appliances",
    "Waiver",
    "Assessment completed",
    "Waiver application",
    D(2026, 3, 23),
    (
        (
            "Herman Corp Pty Ltd (as trustee for the Herman Holdings Family Trust)",
            "ABN - 21 151 833 555",
        ),
    ),
    (("WINNING APPLIANCES PTY LTD", "ABN - 94 002 193 688"),),
    ("3332 Plumbing Goods Wholesaling",),
    determination="Approved",
    determined_on=D(2026, 4, 23),
    events=(
        (
            D(2026, 4, 23),
            "Notification waiver determination published",
            FILES + "Winning%20Group%20Holdings%20%E2%80%93%20Winning%20Appliances%20%28WA-01092%29"
            "%20-%20Notification%20waiver%20determination%20-%2023%20April%202026.pdf",
        ),
    ),
)

SALESFORCE = Matter(
    "WA-35003",
    "Salesforce – Qualified",
    "salesforce-%E2%80%93-qualified",
    "Waiver",
    "Assessment completed",
    "Waiver application",
    D(2026, 1, 8),
    (("Salesforce, Inc", ""),),
    (("Qualified.com, Inc", ""),),
    ("7000 Computer System Design and Related Services",),
    determination="Not approved",
    determined_on=D(2026, 1, 21),
    events=(
        (
            D(2026, 1, 21),
            "Notification waiver determination published",
            FILES + "Salesforce-Qualified%20%28WA-35003%29%20-%20Notification"
            "%20waiver%20determination%20-%2020%20January%202026.pdf",
        ),
    ),
)

ALL = (OPAL, HEIDELBERG, MICROSTAR, PETER_WARREN, SILK, VETS_CENTRAL, WINNING, SALESFORCE)


# --- the register's markup ---------------------------------------------------------------


def _time(day: datetime.date, long: bool = True) -> str:
    shown = f"{day.day} {day:%B %Y}" if long else f"{day.day} {day:%b %Y}"
    return f'<time datetime="{day.isoformat()}T12:00:00Z" class="datetime">{shown}</time>'


def _field(name: str, label: str, item: str) -> str:
    return (
        f'<div class="field field--name-{name} field--label-inline clearfix">'
        f'<h3 class="field__label">{escape(label)}</h3>'
        f'<div class="field__item">{item}</div></div>\n'
    )


def _parties(name: str, label: str, parties) -> str:
    items = "".join(
        '<li><div class="paragraph paragraph--type--acccgov-trader">'
        f'<span class="field_acccgov_name">{escape(party)}</span>'
        f"<span>{escape(number)}</span></div></li>"
        for party, number in parties
    )
    return (
        f'<div class="field field--name-{name} field--label-inline clearfix">'
        f'<h3 class="field__label">{escape(label)}</h3>'
        f'<div class="field__items"><ul>{items}</ul></div></div>\n'
    )


def _date_label(matter: Matter) -> str:
    return "Waiver application date" if matter.kind == "Waiver" else "Effective notification date"


def matter_page(matter: Matter, *, drop: str = "") -> str:
    """The matter's page; `drop` leaves one field out (a label), to make a malformed page."""
    summary = [
        _field("field-acccgov-merger-status", "Acquisition status", escape(matter.status)),
        _field(
            "dynamic-token-fieldnode-acccgov-merger-id",
            "Acquisition case number",
            f"<p>{escape(matter.matter_id)}</p>",
        ),
        _field("acccgov-type", "Type", escape(matter.kind)),
        _field("field-acccgov-pub-reg-date", _date_label(matter), _time(matter.notified_on)),
    ]
    status = [_field("field-acquisition-stage", "Stage", escape(matter.stage))]
    if matter.determination:
        status.append(
            _field(
                "field-acccgov-acquisition-deter",
                "ACCC determination",
                escape(matter.determination),
            )
        )
    if matter.determined_on:
        status.append(
            _field(
                "field-acccgov-pub-reg-end-date",
                "Determination publication date",
                _time(matter.determined_on),
            )
        )
    if matter.period_ends:
        status.append(
            _field(
                "field-acccgov-end-of-determination-period",
                "End of determination period",
                _time(matter.period_ends, long=False),
            )
        )
    about = [
        _parties("field-acccgov-applicants", "Acquirer(s)", matter.acquirers),
        _parties("field-acccgov-pub-reg-targets", "Target(s) or vendor(s)", matter.targets),
        _field(
            "field-acccgov-anzsic-code",
            "ANZSIC code(s)",
            escape(";           ".join(matter.anzsic)),
        ),
    ]
    rows = "".join(
        "<tr>"
        f'<td class="acccgov-timeline__date">{_time(day, long=False)}</td>'
        f"<td>{escape(title)}</td>"
        '<td class="acccgov-timeline__file-link">'
        + (
            f'<span class="file"><a href="{escape(href)}" type="application/pdf">Attachment</a></span>'
            if href
            else ""
        )
        + "</td></tr>"
        for day, title, href in matter.events
    )
    if drop:
        summary, status, about = (
            [b for b in group if f">{escape(drop)}</h3>" not in b]
            for group in (summary, status, about)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8" />'
        f'<link rel="canonical" href="https://www.accc.gov.au{matter.path}" />'
        f"<title>{escape(matter.title)} | ACCC</title></head><body>\n"
        '<h1 class="page-title"><span class="field field--name-title">'
        f"{escape(matter.title)}</span></h1>\n"
        '<main role="main"><article class="accc-full-view node__content">\n'
        '<div class="accc-field__section accc-field__section--metadata">'
        f'<div class="acquisition-summary-wrapper">{"".join(summary)}</div></div>\n'
        '<div class="accc-field__section accc-field__section--content">'
        f'<div><h3 class="border-bottom">Status</h3>{"".join(status)}</div>\n'
        f'<div><h3 class="border-bottom">About the acquisition</h3>{"".join(about)}</div>\n'
        '<div><h3 class="border-bottom">Decisions and key events</h3>'
        '<div class="field field--name-field-acccgov-merger-events field--label-hidden table-responsive field__items">'
        f'<table class="table table-striped"><tbody>{rows}</tbody></table></div></div>\n'
        "</div></article></main></body></html>\n"
    )


def card(matter: Matter) -> str:
    fields = [
        _field("field-acccgov-merger-status", "Acquisition status", escape(matter.status)),
        _field("acccgov-type", "Type", escape(matter.kind)),
        _field("field-acccgov-mcmsmergermatterno", "Case number", escape(matter.matter_id)),
        _field("field-acquisition-stage", "Stage", escape(matter.stage)),
        _field("field-acccgov-pub-reg-date", _date_label(matter), _time(matter.notified_on, False)),
    ]
    return (
        '<div class="views-row"><div class="accc-collapsed-card">'
        f'<div class="accc-collapsed-card__header"><a href="{matter.path}">'
        f'<div class="field field--name-node-title field__item"><h3>{escape(matter.title)}</h3></div>'
        f'<div class="accc-collapsed-card__header-info">{"".join(fields)}</div></a></div>'
        "</div></div>\n"
    )


def list_page(matters, *, next_page: int | None = None, next_href: str | None = None) -> str:
    """One page of the register's list; `next_page` adds the pager's link to that page
    (`next_href`, when given, is the link)."""
    href = next_href or f"?init=1&amp;items_per_page=50&amp;page={next_page}"
    pager = (
        '<nav class="pager" role="navigation"><ul class="pagination">'
        '<li class="pager__item pager__item--next">'
        f'<a href="{href}" rel="next">Next</a>'
        "</li></ul></nav>"
        if next_page is not None
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8" />'
        "<title>Acquisitions register | ACCC</title></head><body><main>\n"
        '<div class="view view-acccgov-acquisitions-register view-id-acccgov_acquisitions_register">'
        f'<div class="view-footer">Showing 1 - {len(matters)} of {len(matters)}</div>\n'
        f'<div class="view-content">\n{"".join(card(m) for m in matters)}</div>\n{pager}'
        "</div></main></body></html>\n"
    )
