"""What an editor does with a proposal: accept it, reject it (remembered: the same proposal
is not asked again), or attach its record to the proceeding it is about."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker import deadlines
from tracker.lifecycle import CLOSED_STATUSES
from tracker.models import Review
from tracker.services import transition_review

from . import provenance
from .applier import Applier
from .choices import ProposalKind, ProposalState
from .models import Proposal
from .records import CaseRecord, record_from_json


def _decide(proposal: Proposal, state: str, user) -> None:
    proposal.state, proposal.decided_by, proposal.decided_at = state, user, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at", "attach_to"])


def _lock_open(proposal: Proposal) -> Proposal:
    """The proposal's row, locked until the decision commits, if it is still open: two
    editors deciding one item at once decide it once (the second sees it decided)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != ProposalState.OPEN:
        raise ValidationError(f"This proposal was already decided ({locked.get_state_display()}).")
    return locked


@transaction.atomic
def reject(proposal: Proposal, user=None) -> None:
    _decide(_lock_open(proposal), ProposalState.REJECTED, user)


@transaction.atomic
def accept(proposal: Proposal, user=None) -> None:
    """Take the register's value (or, for an unclear match, import the record as a new case)."""
    proposal = _lock_open(proposal)
    record = record_from_json(proposal.record)
    if proposal.kind == ProposalKind.CONTRADICTS_EDITOR:
        _take_value(proposal, record, user)
    elif proposal.kind == ProposalKind.DEADLINE_DISAGREES:
        deadlines.set_deadline_by_hand(
            review_id=_review_id(proposal),
            next_deadline=datetime.date.fromisoformat(proposal.proposed_value),
            note=f"as published by the regulator ({proposal.source_url})",
            source_url=proposal.source_url,
            user=user,
        )
    elif proposal.kind == ProposalKind.AMBIGUOUS_MATCH and isinstance(record, CaseRecord):
        Applier().apply_case(record, force_new=True)
    else:
        raise ValidationError(
            f"A proposal of kind '{proposal.get_kind_display()}' cannot be accepted as it is: attach it to a "
            "proceeding, or change the proceeding by hand and reject the proposal."
        )
    _decide(proposal, ProposalState.ACCEPTED, user)


@transaction.atomic
def attach(proposal: Proposal, review: Review, user=None) -> None:
    """The record is about `review`: apply it there, and remember the link for next time."""
    proposal = _lock_open(proposal)
    record = record_from_json(proposal.record)
    Applier().apply(record, review=review)
    proposal.attach_to = review
    _decide(proposal, ProposalState.ATTACHED, user)


def _review_id(proposal: Proposal) -> int:
    """The proceeding a proposal about one of its values names (such a proposal always has one)."""
    if proposal.review_id is None:
        raise ValueError(f"Proposal {proposal.pk} names no proceeding to change.")
    return proposal.review_id


def _take_value(proposal: Proposal, record, user) -> None:
    review = Review.objects.get(pk=_review_id(proposal))
    if proposal.field == "status":
        closing = proposal.proposed_value in CLOSED_STATUSES
        transition_review(
            review_id=review.pk,
            to_status=proposal.proposed_value,
            occurred_on=(
                record.closed_on if closing and record.closed_on else timezone.localdate()
            ),
            source_url=record.url,
            source_title=f"{record.title} (register)",
            outcome=record.outcome if closing else None,
            outcome_wording=record.outcome_wording if closing else None,
            user=user,
        )
    elif proposal.field == "url":
        review.url = proposal.proposed_value
        review.save(update_fields=["url", "updated_at"])
    else:
        raise ValidationError(f"Field {proposal.field!r} cannot be taken from the register.")
    link = provenance.find(Review, proposal.source, proposal.source_id)
    values = dict(link.imported_values) if link else {}
    values[proposal.field] = proposal.proposed_value
    provenance.remember(review, proposal.source, proposal.source_id, record.url, values)
