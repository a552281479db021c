"""Two editors deciding one queue item at once decide it once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from imports import decisions
from imports.choices import ProposalKind, ProposalState
from imports.models import Proposal
from imports.records import CaseRecord, PartySide
from tracker.models import Review

PAGE = "https://www.gov.uk/cma-cases/examplo-holdings-plc-slash-widgetco-limited-merger-inquiry"


def ambiguous_proposal() -> Proposal:
    record = CaseRecord(
        source="cma",
        source_id="examplo-holdings-plc-slash-widgetco-limited-merger-inquiry",
        url=PAGE,
        regulator="cma",
        title="Examplo Holdings plc / Widgetco Limited merger inquiry",
        deal_title="Examplo Holdings plc / Widgetco Limited",
        deal_type="acquisition",
        sides=[PartySide(("Examplo Holdings plc",)), PartySide(("Widgetco Limited",))],
        status="phase_1",
        outcome="",
        outcome_wording="",
        registry_state="open",
        registry_outcome="",
        opened_on=datetime.date(2026, 3, 2),
        closed_on=None,
    )
    return Proposal.objects.create(
        source="cma",
        source_id=record.source_id,
        source_url=PAGE,
        kind=ProposalKind.AMBIGUOUS_MATCH,
        key="race-test",
        summary="'Examplo Holdings plc' may be any of: Examplo",
        record=record.as_json(),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_accepting_one_proposal_at_once_make_one_case():
    proposal = ambiguous_proposal()
    # Each editor's page loaded the proposal while it was open.
    copies = [Proposal.objects.get(pk=proposal.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def editor(copy):
        barrier.wait()
        try:
            decisions.accept(copy)
            outcomes.append("accepted")
        except ValidationError as exc:
            outcomes.append("refused" if "already decided" in exc.messages[0] else str(exc))
        except Exception as exc:  # noqa: BLE001 - the race's other endings are what we look for
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(copy,)) for copy in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["accepted", "refused"]
    assert Review.objects.filter(url=PAGE).count() == 1
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED


@pytest.mark.django_db
def test_a_decided_proposal_cannot_be_decided_again_from_a_stale_page():
    proposal = ambiguous_proposal()
    stale = Proposal.objects.get(pk=proposal.pk)
    decisions.reject(proposal)
    with pytest.raises(ValidationError, match="already decided"):
        decisions.accept(stale)
    assert not Review.objects.filter(url=PAGE).exists()
