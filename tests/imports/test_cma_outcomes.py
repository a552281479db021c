import pytest

from imports.sources.cma_outcomes import CMA_OUTCOME_TYPES, from_cma_outcome_type
from tracker.lifecycle import CLOSED_STATUSES, allowed_outcomes


@pytest.mark.parametrize(("outcome_type", "mapped"), sorted(CMA_OUTCOME_TYPES.items()))
def test_each_cma_outcome_type_maps_onto_a_status_that_can_carry_its_outcome(outcome_type, mapped):
    if mapped.status in CLOSED_STATUSES:
        assert mapped.outcome in allowed_outcomes(mapped.status)
    else:
        assert mapped.outcome == ""


def test_the_cma_outcome_types_a_lawyer_reads_first():
    assert from_cma_outcome_type("mergers-phase-2-prohibition") == ("prohibited", "prohibited")
    assert from_cma_outcome_type("mergers-phase-1-found-not-to-qualify") == (
        "closed",
        "not_qualifying",
    )
    assert from_cma_outcome_type("mergers-phase-1-clearance-with-undertakings-in-lieu") == (
        "cleared_with_conditions",
        "cleared_with_remedies",
    )
    assert from_cma_outcome_type("mergers-phase-2-cancellation") == ("abandoned", "abandoned")
    # Not a merger outcome: left to an editor.
    assert from_cma_outcome_type("consumer-enforcement-court-order") is None
