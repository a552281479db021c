"""The registry of what is searchable: per model, the columns of its stored search
document (with their ranking weights), the columns a user may type part of, and the
columns the simple (non-PostgreSQL) search looks words up in. The models declare their
document column from here; tracker.search matches queries against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Expression
from django.utils.deconstruct import deconstructible

# Stemmed English: "investments" finds "investment"; names and references are kept whole.
SEARCH_CONFIG = "english"


@deconstructible(path="tracker.search_index.SearchDocument")
class SearchDocument(Expression):
    """A row's search document for a generated column: on PostgreSQL the weighted
    `tsvector` of `columns` ((name, weight) pairs); elsewhere NULL, since only
    PostgreSQL searches it (the column costs nothing there)."""

    def __init__(self, *columns: tuple[str, str]):
        self.columns = tuple(tuple(column) for column in columns)
        super().__init__(output_field=SearchVectorField())

    def __eq__(self, other):
        return isinstance(other, SearchDocument) and self.columns == other.columns

    def __hash__(self):
        return hash((type(self), self.columns))

    def deconstruct(self):
        return "tracker.search_index.SearchDocument", self.columns, {}

    def get_refs(self):
        return set()

    def get_source_fields(self):
        return []

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.is_summary = summarize
        return clone

    def as_sql(self, compiler, connection):
        return "NULL", []

    def as_postgresql(self, compiler, connection):
        quote = connection.ops.quote_name
        parts = [
            f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE({quote(name)}, '')), '{weight}')"
            for name, weight in self.columns
        ]
        return " || ".join(parts), []


@dataclass(frozen=True)
class SearchIndex:
    """One model's searchable fields.

    `document`: own columns in the stored tsvector, with weights A (most telling) to D.
    `fragments`: columns matched on any part a user types (trigram-indexed on PostgreSQL).
    `words`: the columns the simple (non-PostgreSQL) path looks each word up in.
    `ranked`: results ordered by relevance unless the request asks for an ordering.
    `short_fragments`: in the model's own list, fragments shorter than a trigram are
    matched too, by scanning (a small table: `ai` finds GRAIL among the parties).
    """

    document: tuple[tuple[str, str], ...]
    fragments: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())
    ranked: bool = True
    short_fragments: bool = False


INDEXES = {
    "party": SearchIndex(
        document=(("name", "A"), ("aliases", "A")),
        fragments=("name", "slug", "aliases"),
        words=("name", "slug", "aliases"),
        ranked=False,  # a list of names reads best by name
        short_fragments=True,
    ),
    "deal": SearchIndex(
        document=(("title", "A"), ("summary", "C"), ("sector", "D")),
        fragments=("title",),
        words=("title", "summary", "sector", "parties__name", "parties__aliases"),
    ),
    "review": SearchIndex(
        document=(
            ("title", "A"),
            ("reference", "A"),
            ("docket_number", "A"),
            ("stage", "B"),
            ("outcome", "B"),
            ("outcome_wording", "B"),
        ),
        fragments=("reference", "docket_number"),
        words=(
            "title",
            "deal__title",
            "reference",
            "stage",
            "outcome",
            "outcome_wording",
            "docket_number",
            "deals__parties__name",
            "deals__parties__aliases",
        ),
    ),
    "event": SearchIndex(
        document=(("title", "A"), ("body", "B")),
        words=("title", "body"),
        ranked=False,  # the feed and timelines stay in date order (cursor pages need it)
    ),
}


def document_expression(model_name: str) -> SearchDocument:
    return SearchDocument(*INDEXES[model_name].document)
