"""The Bundeskartellamt's list of merger control proceedings, written in its documented shape
(a table with the columns Datum, Aktenzeichen, Unternehmen, Produktbereich, Abschluss; a
pager whose "forward" item links to the next page) for the importer's tests.

The rows are real proceedings, as the Bundeskartellamt's own case summaries tell them:

- B9-190/16, Lufthansa Group / Air Berlin PLC & Co. Luftverkehrs KG (wet lease of 38
  aircraft), product area Luftverkehr: notified as a concentration on 30 December 2016,
  cleared on 30 January 2017 (Fallbericht of 30.01.2017, "Lufthansa darf Flugzeuge von Air
  Berlin leasen", read at https://studylibde.com/doc/7417956/fallbericht---bundeskartellamt).
- B2-96/14, Edeka Zentrale AG & Co. KG / Kaiser's Tengelmann GmbH, food retail: prohibited
  on 31 March 2015 (Bundeskartellamt, Fallbericht of 27.05.2015, "Untersagung des Erwerbs der
  Filialen von Kaiser's Tengelmann durch Edeka",
  http://www.bundeskartellamt.de/SharedDocs/Meldung/DE/AktuelleMeldungen/2015/27_05_2015_Fallbericht_EDEKA_Tengelmann.html;
  the file number and the day of the decision as OLG Düsseldorf, VI-Kart 5/15 (V), cites them,
  https://streifler.de/urteil/olgd/vi-kart-515-v-2016-10-26). Its date of notification is
  not known here, so its row leaves the date out ("-"), and it is used only where that date
  is not needed (the parser's tests, and damaged on purpose).

The broken rows (a day that does not exist, a missing cell) are the same rows damaged on
purpose: they stand for a register's bad input, not for any proceeding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

LUFTHANSA_REFERENCE = "B9-190/16"
EDEKA_REFERENCE = "B2-96/14"


@dataclass(frozen=True)
class Row:
    date: str
    reference: str
    parties: tuple[str, ...]
    product_area: str
    conclusion: str = "-"
    cells: int = 5  # fewer: a row whose markup lost cells

    def html(self) -> str:
        values = [
            escape(self.date),
            escape(self.reference),
            "<br/>".join(escape(p) for p in self.parties),
            escape(self.product_area),
            escape(self.conclusion),
        ][: self.cells]
        return "<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>"


def lufthansa_air_berlin(*, cleared: bool = False) -> Row:
    """As listed from its notification; `cleared`: after the clearance of 30 January 2017."""
    return Row(
        date="30.12.2016",
        reference=LUFTHANSA_REFERENCE,
        parties=("Lufthansa Group", "Air Berlin PLC & Co. Luftverkehrs KG"),
        product_area="Luftverkehr",
        conclusion="Freigabe 30.01.2017" if cleared else "-",
    )


def edeka_kaisers_tengelmann() -> Row:
    return Row(
        date="-",
        reference=EDEKA_REFERENCE,
        parties=("Edeka Zentrale AG & Co. KG", "Kaiser's Tengelmann GmbH"),
        product_area="Lebensmitteleinzelhandel",
        conclusion="Untersagung 31.03.2015",
    )


def with_impossible_date(row: Row) -> Row:
    """The row with a day that does not exist: bad input in one column."""
    return replace(row, date="31.02.2015")


def with_lost_cells(row: Row) -> Row:
    """The row with its file number gone and its last cells lost: a broken document."""
    return replace(row, reference="", cells=3)


def list_page(rows: list[Row], *, forward: str = "") -> str:
    pager = (
        f'<ul class="pagination"><li class="forward"><a href="{escape(forward)}">weiter</a></li></ul>'
        if forward
        else ""
    )
    body = "\n".join(row.html() for row in rows)
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Laufende Verfahren</title></head>
<body><main>
<h1>Fusionskontrolle: Laufende Verfahren</h1>
<table class="searchResultTable">
<thead><tr><th>Datum</th><th>Aktenzeichen</th><th>Unternehmen</th><th>Produktbereich</th><th>Abschluss</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
{pager}
</main></body></html>
"""
