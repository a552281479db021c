"""How one attempt at sending went: what every channel sender returns."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    retryable: bool = True
