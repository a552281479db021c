"""How a free-text query finds what the registry (tracker.search_index) makes searchable.

Related rows also make a row match: a deal matches by its parties' names and aliases,
a proceeding by the deals it covers (their titles, summaries and parties).

On PostgreSQL the document is a stored generated `tsvector` column (`search_document`),
kept current by the database for every write (ORM, bulk_create, COPY, the admin); it is
matched with `websearch_to_tsquery` (words, "quoted phrases", -exclusions, OR) through a
GIN index and ranked with `ts_rank`. Typed fragments are matched with `ILIKE` through
`pg_trgm` GIN indexes. Related rows are matched through their own indexes in
subqueries, so a renamed party is found under its new name at once, with no copied text
to keep in step. Elsewhere (the embedded SQLite default) every word must appear in one
of the searchable columns, case-insensitively.

The selectors `search_deals`, `search_reviews`, `search_events` and `search_parties` (and
`search`, by the registry's model name) take a queryset and the user's text and return a
SearchResult: the matching rows, whether they are ranked (annotated with `search_rank`)
and whether they are too many to count exactly at a reasonable cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import Deal, DealParty, Event, Party, Review, ReviewDeal
from .search_index import INDEXES, SEARCH_CONFIG, SearchIndex

# Shorter fragments have no trigram to look up: they are matched as words only.
MIN_FRAGMENT = 3
MAX_WORDS = 10
RANK_ALIAS = "search_rank"
# Up to this many matches are ranked and counted; more are listed in the list's order.
RANKED_MATCHES = 1000


@dataclass(frozen=True)
class SearchResult:
    """What a search found.

    `queryset`: the matching rows of the list searched, in its order.
    `ranked`: the rows carry their relevance (`search_rank`); `by_relevance()` orders by it.
    `count_is_estimate`: more matches than RANKED_MATCHES, so many that a list counts
    them by the database's estimate rather than one by one.
    """

    queryset: QuerySet
    ranked: bool = False
    count_is_estimate: bool = False

    def by_relevance(self) -> QuerySet:
        """Most relevant first, then the list's own order (unranked results keep it)."""
        if not self.ranked:
            return self.queryset
        return self.queryset.order_by(F(RANK_ALIAS).desc(), *self.queryset.query.order_by)


def uses_index() -> bool:
    return connection.vendor == "postgresql"


def query_of(text: str) -> SearchQuery:
    # websearch syntax never fails to parse: stray quotes, `&`, `!!` are read as text.
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


def fragment_match(index: SearchIndex, text: str, short: bool = False) -> Q:
    """The whole text typed as part of a reference or name (`ME/70`, `anthro`)."""
    text = text.strip()
    if not text or (len(text) < MIN_FRAGMENT and not short):
        return Q(pk__in=[])
    condition = Q()
    for column in index.fragments:
        condition |= Q(**{f"{column}__icontains": text})
    return condition


def own_match(model_name: str, text: str, listed: bool = False) -> Q:
    """The rows whose own document or fragments match (each through its own index);
    `listed`: the rows of the model's own list, not rows matched for a related list."""
    index = INDEXES[model_name]
    short = listed and index.short_fragments
    return Q(search_document=query_of(text)) | fragment_match(index, text, short)


def word_match(model_name: str, text: str) -> Q:
    """The simple path: each word in one of the searchable columns."""
    condition = Q()
    for word in text.split()[:MAX_WORDS]:
        either = Q()
        for column in INDEXES[model_name].words:
            either |= Q(**{f"{column}__icontains": word})
        condition &= either
    return condition


# The probes below are SQL written for PostgreSQL: one UNION of index lookups across the
# tables, which the planner answers index by index and stops at a limit (the same
# condition written as an OR across tables would scan every row of the list).


def column_sql(model, field_name: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field_name).column)}"


def like_any_part(text: str) -> str:
    """The LIKE pattern of `icontains`: the text anywhere, its own % and _ taken literally."""
    return f"%{connection.ops.prep_for_like_query(text.strip())}%"


def words_sql(model, text: str) -> tuple[str, list]:
    return f"{column_sql(model, 'search_document')} @@ websearch_to_tsquery(%s::regconfig, %s)", [
        SEARCH_CONFIG,
        text,
    ]


def own_sql(model, text: str) -> tuple[str, list]:
    """SQL and parameters of `own_match` (the rows' own document or fragments) as a
    condition on `model`'s table, in the form its indexes answer."""
    index = INDEXES[model._meta.model_name]
    sql, params = words_sql(model, text)
    conditions = [sql]
    if len(text.strip()) >= MIN_FRAGMENT:
        for name in index.fragments:
            conditions.append(f"UPPER({column_sql(model, name)}::text) LIKE UPPER(%s)")
            params.append(like_any_part(text))
    return " OR ".join(conditions), params


def ids_where(model, field_name: str, condition: tuple[str, list]) -> tuple[str, list]:
    quote = connection.ops.quote_name
    return (
        f"SELECT {column_sql(model, field_name)} FROM {quote(model._meta.db_table)} WHERE {condition[0]}",  # noqa: S608 the models' own quoted names; the text is a bound parameter
        condition[1],
    )


def in_sql(model, field_name: str, ids: tuple[str, list]) -> tuple[str, list]:
    return f"{column_sql(model, field_name)} IN ({ids[0]})", ids[1]


def union_sql(*parts: tuple[str, list]) -> tuple[str, list]:
    return " UNION ALL ".join(sql for sql, _ in parts), [
        param for _, params in parts for param in params
    ]


def deals_by_party_sql(text: str) -> tuple[str, list]:
    parties = ids_where(Party, "id", own_sql(Party, text))
    return ids_where(DealParty, "deal", in_sql(DealParty, "party", parties))


def matching_deal_ids_sql(text: str) -> tuple[str, list]:
    """Deals matching on their own words or through a party's name or alias."""
    return union_sql(ids_where(Deal, "id", own_sql(Deal, text)), deals_by_party_sql(text))


def reviews_by_deal_sql(text: str) -> tuple[str, list]:
    return ids_where(ReviewDeal, "review", in_sql(ReviewDeal, "deal", matching_deal_ids_sql(text)))


def matching_review_ids_sql(text: str) -> tuple[str, list]:
    """Proceedings matching on their own words or through a deal they cover."""
    return union_sql(ids_where(Review, "id", own_sql(Review, text)), reviews_by_deal_sql(text))


def matching_event_ids_sql(text: str) -> tuple[str, list]:
    return ids_where(Event, "id", words_sql(Event, text))


def first_ids(probe: tuple[str, list], limit: int) -> list[int]:
    """Up to `limit` ids the probe finds (in no order; a row matching twice, twice)."""
    with connection.cursor() as cursor:
        cursor.execute(f"{probe[0]} LIMIT %s", [*probe[1], limit])
        return [row[0] for row in cursor.fetchall()]


def ranked(queryset: QuerySet, text: str) -> QuerySet:
    rank = SearchRank(F("search_document"), query_of(text))
    return queryset.annotate(**{RANK_ALIAS: rank})


def narrowed(
    queryset: QuerySet, text: str, probe: tuple[str, list], condition: Q, rank: bool
) -> SearchResult:
    """`queryset` narrowed to the matches.

    The ids of the matches are probed first (`probe`, index lookups in no order), up to
    RANKED_MATCHES: that many are few enough to rank and to count, and the list then
    reads only those rows. More than that, the words are common: the list keeps its own
    order and the database walks the list's index testing each row (`condition`, cheap
    on the stored document) until it has a page, instead of ranking and sorting every
    match; their number is then the database's estimate.
    """
    ids = first_ids(probe, RANKED_MATCHES + 1)
    if len(ids) > RANKED_MATCHES:
        return SearchResult(queryset.filter(condition), count_is_estimate=True)
    if not ids:
        return SearchResult(queryset.none())
    # One array parameter, not up to a thousand placeholders.
    found = queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [sorted(set(ids))]))
    if not rank:
        return SearchResult(found)
    return SearchResult(ranked(found, text), ranked=True)


def search_parties(queryset: QuerySet, text: str) -> SearchResult:
    if not uses_index():
        return SearchResult(queryset.filter(word_match("party", text)).distinct())
    return SearchResult(queryset.filter(own_match("party", text, listed=True)))


def search_deals(queryset: QuerySet, text: str) -> SearchResult:
    if not uses_index():
        return SearchResult(
            queryset.filter(pk__in=Deal.objects.filter(word_match("deal", text)).values("pk"))
        )
    condition = own_match("deal", text) | Q(pk__in=RawSQL(*deals_by_party_sql(text)))  # noqa: S611 written SQL, the text bound
    return narrowed(
        queryset, text, matching_deal_ids_sql(text), condition, rank=INDEXES["deal"].ranked
    )


def search_reviews(queryset: QuerySet, text: str) -> SearchResult:
    if not uses_index():
        return SearchResult(
            queryset.filter(pk__in=Review.objects.filter(word_match("review", text)).values("pk"))
        )
    condition = own_match("review", text) | Q(pk__in=RawSQL(*reviews_by_deal_sql(text)))  # noqa: S611 written SQL, the text bound
    return narrowed(
        queryset, text, matching_review_ids_sql(text), condition, rank=INDEXES["review"].ranked
    )


def search_events(queryset: QuerySet, text: str) -> SearchResult:
    if not uses_index():
        return SearchResult(queryset.filter(word_match("event", text)))
    condition = Q(search_document=query_of(text))
    return narrowed(
        queryset, text, matching_event_ids_sql(text), condition, rank=INDEXES["event"].ranked
    )


SELECTORS = {
    "party": search_parties,
    "deal": search_deals,
    "review": search_reviews,
    "event": search_events,
}


def search(model_name: str, queryset: QuerySet, text: str) -> SearchResult:
    """The rows of `queryset` matching `text`, by the registry's model name."""
    return SELECTORS[model_name](queryset, text)
