"""Merger cases in the shape of the Commission's open-data file `case-data-M.json`, written
for the tests from public facts (no copied download).

The shape: an object keyed by case number; each case has `metadata`, `caseAttachments` and
`decisions`; every value is an array and a coded value is a JSON document inside a string
(`'{"label": "Art. 6(1)(b)"}'`). Decision types are given by their labels only (the
register's internal codes are not reproduced).

The facts, with their sources:

- M.11766 NVIDIA / Run:ai: Italy's Article 22 referral request accepted on 31 October 2024,
  notified on 15 November 2024 (provisional deadline 20 December 2024), cleared
  unconditionally under Article 6(1)(b) on 20 December 2024.
  https://competition-cases.ec.europa.eu/cases/M.11766 and the Commission's press release
  of 20 December 2024 ("On 31 October 2024, the Commission accepted Italy's request and the
  transaction was notified to the Commission on 15 November 2024"), as reproduced at
  https://miragenews.com/nvidia-cleared-to-acquire-runai-by-eu-commission-1383203
- M.10646 Microsoft / Activision Blizzard: notified 30 September 2022, phase 2 opened
  (Article 6(1)(c)) on 8 November 2022, cleared subject to commitments (Article 8(2)) on
  15 May 2023. https://competition-cases.ec.europa.eu/cases/M.10646
- M.10188 Illumina / GRAIL: referral requests accepted under Article 22 on 19 April 2021,
  notified 16 June 2021, phase 2 opened on 22 July 2021 (press release IP/21/3844),
  prohibited under Article 8(3) on 6 September 2022.
  https://competition-cases.ec.europa.eu/cases/M.10188,
  https://ec.europa.eu/commission/presscorner/detail/en/ip_21_3844,
  https://curia.europa.eu/juris/liste.jsf?num=C-611/22
- M.11033 Adobe / Figma: referral requests accepted under Article 22 on 15 February 2023,
  notified 30 June 2023, phase 2 opened on 7 August 2023 (deadline then 14 December 2023),
  abandoned by the parties on 18 December 2023.
  Competition Merger Brief 2/2024 (M.11033 Adobe/Figma),
  https://competition-policy.ec.europa.eu/document/download/4e7dcad9-4787-4cef-885b-dcc5f8f1244c_en?filename=kd0124001enn_mergers_brief_2024_2.pdf;
  the Commission's press release of 15 February 2023 as reproduced at
  https://ieu-monitoring.com/editorial/mergers-eu-commission-to-assess-proposed-acquisition-of-figma-by-adobe/400561;
  https://agenceurope.eu/en/bulletin/article/13234/18/european-commission-opens-an-in-depth-investigation-into-adobes-acquisition-of-figma;
  https://news.adobe.com/news/news-details/2023/adobe-and-figma-mutually-agree-to-terminate-merger-agreement
  (the register's label for a withdrawn notification is written here as "Withdrawal of the
  notification").
"""

from __future__ import annotations

import copy
import json

NVIDIA = "M.11766"
MICROSOFT = "M.10646"
ILLUMINA = "M.10188"
ADOBE = "M.11033"


def coded(label: str) -> str:
    return json.dumps({"label": label})


def decision(adopted_on: str, *types: str, press_releases: tuple[str, ...] = ()) -> dict:
    metadata: dict = {
        "decisionAdoptionDate": [adopted_on],
        "decisionTypes": [coded(t) for t in types],
    }
    if press_releases:
        metadata["decisionPressReleases"] = [
            json.dumps(
                {"items": [{"reference": r, "publishedDate": adopted_on} for r in press_releases]}
            )
        ]
    return {"metadata": metadata, "decisionAttachments": []}


def case(
    number: str,
    title: str,
    companies: list[str],
    *,
    notified: str = "",
    initiated: str = "",
    deadline: str = "",
    decisions: list[dict] | None = None,
    attachments: list[dict] | None = None,
) -> dict:
    metadata: dict = {
        "caseNumber": [number],
        "caseTitle": [title],
        "caseCompanies": companies,
        "caseInstrument": ["M"],
    }
    for name, value in (
        ("caseNotificationDate", notified),
        ("caseInitiationDate", initiated),
        ("caseDeadlineDate", deadline),
    ):
        if value:
            metadata[name] = [value]
    decided = decisions or []
    if decided:
        metadata["caseLastDecisionDate"] = [
            max(d["metadata"]["decisionAdoptionDate"][0] for d in decided)
        ]
    return {"metadata": metadata, "caseAttachments": attachments or [], "decisions": decided}


def nvidia_runai(*, cleared: bool = True) -> dict:
    """Cleared; or as it stood between the notification and the decision."""
    decided = [decision("2024-10-31", "Art. 22(3)")]
    if cleared:
        decided.append(decision("2024-12-20", "Art. 6(1)(b)"))
    return case(
        NVIDIA,
        "NVIDIA / RUN:AI",
        ["NVIDIA Corporation", "Run:ai Labs Ltd"],
        notified="2024-11-15",
        deadline="2024-12-20",
        decisions=decided,
    )


def microsoft_activision() -> dict:
    return case(
        MICROSOFT,
        "MICROSOFT / ACTIVISION BLIZZARD",
        ["Microsoft Corporation", "Activision Blizzard, Inc."],
        notified="2022-09-30",
        decisions=[
            decision("2022-11-08", "Art. 6(1)(c)"),
            decision("2023-05-15", "Art. 8(2) with conditions & obligations"),
        ],
    )


def illumina_grail() -> dict:
    return case(
        ILLUMINA,
        "ILLUMINA / GRAIL",
        ["Illumina, Inc.", "GRAIL, Inc."],
        notified="2021-06-16",
        decisions=[
            decision("2021-04-19", "Art. 22(3)"),
            decision("2021-07-22", "Art. 6(1)(c)", press_releases=("IP/21/3844",)),
            decision("2022-09-06", "Art. 8(3)"),
        ],
    )


def adobe_figma(*, abandoned: bool = True) -> dict:
    decided = [decision("2023-02-15", "Art. 22(3)"), decision("2023-08-07", "Art. 6(1)(c)")]
    if abandoned:
        decided.append(decision("2023-12-18", "Withdrawal of the notification"))
    return case(
        ADOBE,
        "ADOBE / FIGMA",
        ["Adobe Inc.", "Figma, Inc."],
        notified="2023-06-30",
        deadline="2023-12-14",
        decisions=decided,
    )


def with_decision_type(base: dict, label: str) -> dict:
    """The case with the type of its latest decision replaced: for vocabulary tests."""
    changed = copy.deepcopy(base)
    changed["decisions"][-1]["metadata"]["decisionTypes"] = [coded(label)]
    return changed


def file_of(*cases: dict) -> dict:
    return {c["metadata"]["caseNumber"][0]: c for c in cases}
