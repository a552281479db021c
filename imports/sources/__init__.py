"""The registries the tracker reads, by name. A registry is one module in this package that
defines a `Source` subclass and registers it with `@register`; nothing else names it.

The modules are imported when the list of sources is first asked for, so a source module
may use the ORM and the tracker's vocabularies freely.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Source

_SOURCES: dict[str, Source] = {}
_discovered = False


def register(cls: type[Source]) -> type[Source]:
    """Class decorator: the source is known under its `name` from now on."""
    source = cls()
    if source.name in _SOURCES and type(_SOURCES[source.name]) is not cls:
        raise ValueError(f"two sources are named {source.name!r}")
    _SOURCES[source.name] = source
    return cls


def all_sources() -> dict[str, Source]:
    """Every registered source, by name, in name order."""
    global _discovered
    if not _discovered:
        for module in pkgutil.iter_modules(__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{__name__}.{module.name}")
        _discovered = True
    return dict(sorted(_SOURCES.items()))


def source_named(name: str) -> Source:
    """The source called `name`; KeyError names the known ones."""
    sources = all_sources()
    if name not in sources:
        raise KeyError(f"no source is called {name!r}; known: {', '.join(sources)}")
    return sources[name]


def source_choices() -> list[tuple[str, str]]:
    return [(name, source.title) for name, source in all_sources().items()]
