"""Telling whether a registry's party names are parties we know: normalised names, the
aliases editors keep, and fuzzy matching above a threshold."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# Legal forms that do not tell two companies apart.
LEGAL_SUFFIXES = frozenset(
    "inc incorporated llc llp lp ltd limited plc corp corporation co company sa sas se ag gmbh nv bv pbc "
    "spa srl ab as asa oy kk pte pty holdings holding group".split()
)


def normalise(name: str) -> str:
    """'Amazon.com, Inc.' -> 'amazon com'; 'The Net-A-Porter Group Limited' -> 'net a porter'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass
class PartyMatch:
    party_id: int | None  # None: a new party
    candidates: list[int] = field(default_factory=list)  # several: an editor decides

    @property
    def ambiguous(self) -> bool:
        return self.party_id is None and len(self.candidates) > 0


@dataclass
class PartyIndex:
    """Every known party's names, normalised, loaded once per run and kept current as the
    run creates parties."""

    sure: float = 93.0  # a fuzzy score from which a name is taken as the same party
    maybe: float = 85.0  # from here up to `sure`, an editor decides
    names: dict[str, set[int]] = field(default_factory=dict)
    _choices: list[str] | None = None  # the names as a list for rapidfuzz, rebuilt after a change

    def add(self, party_id: int, *names: str) -> None:
        for name in names:
            key = normalise(name)
            if key:
                self.names.setdefault(key, set()).add(party_id)
                self._choices = None

    def _names_list(self) -> list[str]:
        if self._choices is None:
            self._choices = list(self.names)
        return self._choices

    def forget(self, party_id: int, *names: str) -> None:
        for name in names:
            ids = self.names.get(normalise(name))
            if ids is not None:
                ids.discard(party_id)
                if not ids:
                    del self.names[normalise(name)]
                    self._choices = None

    def add_party(self, party) -> None:
        self.add(party.pk, party.name, *[a for a in (party.aliases or "").split(",") if a.strip()])

    def match(self, names: tuple[str, ...]) -> PartyMatch:
        """One side's names ("Alphabet Inc.", "Google LLC"): exact on any name first, then fuzzy."""
        exact = set().union(*(self.names.get(normalise(n), set()) for n in names))
        if len(exact) == 1:
            return PartyMatch(next(iter(exact)))
        if len(exact) > 1:
            return PartyMatch(None, sorted(exact))
        scored: dict[int, float] = {}
        for name in names:
            key = normalise(name)
            if not key:
                continue
            digits = _digits(key)
            for found, score, _ in process.extract(
                key, self._names_list(), scorer=fuzz.ratio, limit=5, score_cutoff=self.maybe
            ):
                if _digits(found) != digits:
                    continue  # "Fund 3" is not "Fund 4", however alike the letters
                for party_id in self.names[found]:
                    scored[party_id] = max(scored.get(party_id, 0), score)
        if not scored:
            return PartyMatch(None)
        best = max(scored.values())
        top = sorted(pid for pid, score in scored.items() if score == best)
        if best >= self.sure and len(top) == 1:
            return PartyMatch(top[0])
        return PartyMatch(None, sorted(scored, key=lambda pid: -scored[pid]))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
