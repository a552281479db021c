"""The imports app's vocabularies."""

from django.db import models


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "All items went in"
    PARTIAL = "partial", "Some items failed"
    UNREACHABLE = "unreachable", "Source unreachable"


class ProposalKind(models.TextChoices):
    AMBIGUOUS_MATCH = "ambiguous_match", "Ambiguous match"
    UNMATCHED = "unmatched", "No matching proceeding"
    UNKNOWN_OUTCOME = "unknown_outcome", "Unknown outcome type"
    CONTRADICTS_EDITOR = "contradicts_editor", "Contradicts an editor's fact"
    DEADLINE_DISAGREES = "deadline_disagrees", "Published deadline differs from ours"


class ProposalState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    ATTACHED = "attached", "Attached to a proceeding"
