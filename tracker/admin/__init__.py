"""The editors' admin of the core: parties, deals, reviews and their timelines."""

from . import deals, events, reviews  # noqa: F401  (each module registers its admin classes)
