"""The registries the tracker reads, by name. Adding one is one module and one line here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import cma, federal_register


@dataclass(frozen=True)
class Registry:
    name: str
    list_entries: Callable[..., Iterator]
    fetch: Callable
    parse: Callable
    apply_method: str  # the Applier's method that writes a parsed record


REGISTRIES = {
    cma.NAME: Registry(cma.NAME, cma.list_entries, cma.fetch_case, cma.parse_case, "apply_case"),
    federal_register.NAME: Registry(
        federal_register.NAME,
        federal_register.list_entries,
        federal_register.fetch_notice,
        federal_register.parse_notice,
        "apply_notice",
    ),
}
