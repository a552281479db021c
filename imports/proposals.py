"""Putting a difference in the editors' queue, once: a proposal already decided (a rejection
above all) is not asked again."""

from __future__ import annotations

import hashlib

from .models import Proposal


def proposal_key(
    source: str, source_id: str, kind: str, field: str = "", proposed: str = ""
) -> str:
    return hashlib.sha256(
        "\x1f".join([source, source_id, kind, field, proposed]).encode()
    ).hexdigest()


def propose(
    *,
    source: str,
    source_id: str,
    kind: str,
    summary: str,
    record: dict,
    source_url: str = "",
    review=None,
    field: str = "",
    current: str = "",
    proposed: str = "",
    candidates=(),
) -> bool:
    """Queue a proposal; False when the same one was already queued or decided."""
    key = proposal_key(source, source_id, kind, field, proposed)
    proposal, created = Proposal.objects.get_or_create(
        key=key,
        defaults=dict(
            source=source,
            source_id=source_id,
            source_url=source_url,
            kind=kind,
            summary=summary[:500],
            record=record,
            review=review,
            field=field,
            current_value=str(current)[:300],
            proposed_value=str(proposed)[:300],
        ),
    )
    if created and candidates:
        proposal.candidates.set(candidates)
    return created
