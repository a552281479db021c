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

The selectors `search_deals`, `search_reviews`, `search_events` and `search_parties` take
a queryset and the user's text and return the matching rows, annotated with
`search_rank` where the model is ranked.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from database.reads import planned_rows, prepared_cursor

from .models import Deal, DealParty, Event, Party, Review, ReviewDeal
from .search_index import INDEXES, SEARCH_CONFIG, SearchIndex

# Shorter fragments have no trigram to look up: they are matched as words only.
MIN_FRAGMENT = 3
MAX_WORDS = 10
RANK_ALIAS = "search_rank"
# Up to this many matches are ranked and counted; more are listed in the list's order.
RANKED_MATCHES = 1000
# A search the planner expects to match this many times RANKED_MATCHES, and this many
# times what it expects of a word its statistics do not know, is taken to have many
# matches without probing them: the probe of a common word reads a thousand rows (1.4 ms
# for `filing` among 1,000,000 events) to learn what one planning says (0.1 ms). Any
# other search is probed, so one that finds few is ranked whatever the guess. (For single
# words on the benchmark's tables the planner's guesses of a known word were within 5% of
# the count.)
SURELY_MANY = 3
# The planner gives every word it has no statistics for the same share of a table's
# rows: a rare word's guess grows with the table, a known word's follows its count.
UNKNOWN_WORD = "qzxqzxqzx"
UNKNOWN_GUESS_SECONDS = 600  # statistics change when the table is analysed
_unknown_guesses: dict = {}


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


# The probes below are written as SQL, not built with the ORM: their shape never changes,
# and building and compiling the nested querysets cost ten times the query itself
# (2.7 ms against 0.15 ms for a proceedings search on the full data set).


def _column(model, field_name: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field_name).column)}"


def _like_any_part(text: str) -> str:
    """The LIKE pattern of `icontains`: the text anywhere, its own % and _ taken literally."""
    return f"%{connection.ops.prep_for_like_query(text.strip())}%"


def _words_sql(model, text: str) -> tuple[str, list]:
    return f"{_column(model, 'search_document')} @@ websearch_to_tsquery(%s::regconfig, %s)", [
        SEARCH_CONFIG,
        text,
    ]


def own_sql(model, text: str) -> tuple[str, list]:
    """SQL and parameters of `own_match` (the rows' own document or fragments) as a
    condition on `model`'s table, in the form its indexes answer."""
    index = INDEXES[model._meta.model_name]
    words_sql, params = _words_sql(model, text)
    sql = [words_sql]
    if len(text.strip()) >= MIN_FRAGMENT:
        for name in index.fragments:
            sql.append(f"UPPER({_column(model, name)}::text) LIKE UPPER(%s)")
            params.append(_like_any_part(text))
    return " OR ".join(sql), params


def _ids_where(model, field_name: str, condition: tuple[str, list]) -> tuple[str, list]:
    quote = connection.ops.quote_name
    return (
        f"SELECT {_column(model, field_name)} FROM {quote(model._meta.db_table)} WHERE {condition[0]}",  # noqa: S608 the models' own quoted names; the text is a bound parameter
        condition[1],
    )


def _in(model, field_name: str, ids: tuple[str, list]) -> tuple[str, list]:
    return f"{_column(model, field_name)} IN ({ids[0]})", ids[1]


def _union(*parts: tuple[str, list]) -> tuple[str, list]:
    return " UNION ALL ".join(sql for sql, _ in parts), [
        param for _, params in parts for param in params
    ]


def deals_by_party_sql(text: str) -> tuple[str, list]:
    parties = _ids_where(Party, "id", own_sql(Party, text))
    return _ids_where(DealParty, "deal", _in(DealParty, "party", parties))


def matching_deal_ids_sql(text: str) -> tuple[str, list]:
    """Deals matching on their own words or through a party's name or alias: one UNION
    of index lookups (an OR across tables would scan every deal)."""
    return _union(_ids_where(Deal, "id", own_sql(Deal, text)), deals_by_party_sql(text))


def reviews_by_deal_sql(text: str) -> tuple[str, list]:
    return _ids_where(ReviewDeal, "review", _in(ReviewDeal, "deal", matching_deal_ids_sql(text)))


def matching_review_ids_sql(text: str) -> tuple[str, list]:
    """Proceedings matching on their own words or through a deal they cover."""
    return _union(_ids_where(Review, "id", own_sql(Review, text)), reviews_by_deal_sql(text))


def matching_event_ids_sql(text: str) -> tuple[str, list]:
    return _ids_where(Event, "id", _words_sql(Event, text))


def _first_ids(probe: tuple[str, list], limit: int) -> list[int]:
    # Prepared: the probe's text depends only on whether the text is long enough to be a
    # fragment, and planning its dozen index lookups cost more than running them (0.48 ms
    # against 0.34 ms for a proceedings search on the full data set).
    with prepared_cursor() as cursor:
        cursor.execute(f"{probe[0]} LIMIT {int(limit)}", probe[1])
        return [row[0] for row in cursor.fetchall()]


def ranked(queryset: QuerySet, text: str) -> QuerySet:
    rank = SearchRank(F("search_document"), query_of(text))
    return queryset.annotate(**{RANK_ALIAS: rank})


def expected_matches(model, text: str) -> int | None:
    """The planner's count of the rows of `model` whose own words match `text`, when the
    statistics say they are many times more than RANKED_MATCHES (then so are the rows
    matching in any way); None otherwise. Only the words: planning the whole probe costs
    as much as running it for a rare word."""
    expected = planned_rows(*_ids_where(model, "id", _words_sql(model, text))) or 0
    if expected <= SURELY_MANY * RANKED_MATCHES:
        return None
    key = (model._meta.label, connection.alias)
    guess, read_at = _unknown_guesses.get(key, (None, 0.0))
    if guess is None or time.monotonic() - read_at > UNKNOWN_GUESS_SECONDS:
        guess = planned_rows(*_ids_where(model, "id", _words_sql(model, UNKNOWN_WORD))) or 0
        _unknown_guesses[key] = (guess, time.monotonic())
    return expected if expected > SURELY_MANY * guess else None


def narrowed(
    queryset: QuerySet, text: str, probe: tuple[str, list], condition: Callable[[], Q], rank: bool
) -> QuerySet:
    """`queryset` narrowed to the matches.

    The ids of the matches are probed first (`probe`, index lookups in no order), up to
    RANKED_MATCHES: that many are few enough to rank and to count, and the list then
    reads only those rows. More than that (or, by the statistics, surely many more: then
    not probed), the words are common: the list keeps its own order, and the database
    walks the list's index testing each row (`condition()`, cheap on the stored document)
    until it has a page, instead of ranking and sorting every match. The condition is
    built only then.

    What it learnt of the matches' number (the probe's count, or the planner's for common
    words) is kept on the query: while the search stays the list's only condition, the
    paginator counts by it (`matches_if_alone`) and runs no count of its own.
    """
    expected = expected_matches(queryset.model, text)
    ids = [] if expected else _first_ids(probe, RANKED_MATCHES + 1)  # may repeat (UNION ALL)
    if expected or len(ids) > RANKED_MATCHES:
        broad = queryset.filter(condition())
        broad.query.many_matches = True  # kept by every clone: a paginator estimates their count
        broad.query.matches_alone = expected  # None when only the probe knew they were many
        return broad
    if not ids:
        return queryset.none()  # read as empty without building the list's query
    ids = sorted(set(ids))
    # One array parameter, not up to a thousand: Django prepares each value of an `in` list.
    found = queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    found.query.matches_alone = len(ids)
    return ranked(found, text) if rank else found


def search_parties(queryset: QuerySet, text: str) -> QuerySet:
    if not uses_index():
        return queryset.filter(word_match("party", text)).distinct()
    return queryset.filter(own_match("party", text, listed=True))


def search_deals(queryset: QuerySet, text: str) -> QuerySet:
    if not uses_index():
        return queryset.filter(
            pk__in=queryset.model.objects.filter(word_match("deal", text)).values("pk")
        )

    def condition():
        return own_match("deal", text) | Q(pk__in=RawSQL(*deals_by_party_sql(text)))  # noqa: S611 fixed SQL, the text bound

    return narrowed(
        queryset, text, matching_deal_ids_sql(text), condition, rank=INDEXES["deal"].ranked
    )


def search_reviews(queryset: QuerySet, text: str) -> QuerySet:
    if not uses_index():
        return queryset.filter(
            pk__in=queryset.model.objects.filter(word_match("review", text)).values("pk")
        )

    def condition():
        return own_match("review", text) | Q(pk__in=RawSQL(*reviews_by_deal_sql(text)))  # noqa: S611 fixed SQL, the text bound

    return narrowed(
        queryset, text, matching_review_ids_sql(text), condition, rank=INDEXES["review"].ranked
    )


def search_events(queryset: QuerySet, text: str) -> QuerySet:
    if not uses_index():
        return queryset.filter(word_match("event", text))

    def condition():
        return Q(search_document=query_of(text))

    return narrowed(
        queryset, text, matching_event_ids_sql(text), condition, rank=INDEXES["event"].ranked
    )


SELECTORS = {
    "party": search_parties,
    "deal": search_deals,
    "review": search_reviews,
    "event": search_events,
}


def has_many_matches(queryset: QuerySet) -> bool:
    """Search results too many to count exactly at a reasonable cost (see `narrowed`)."""
    return getattr(queryset.query, "many_matches", False)


def matches_if_alone(queryset: QuerySet) -> int | None:
    """The number of the search's matches as `narrowed` learnt it (exact for a probed
    search, the planner's for common words), while the search is the list's only
    condition (the query's one `where` child: any filter before or after it adds its own);
    None when anything else narrows the list, or when nothing was learnt."""
    known = getattr(queryset.query, "matches_alone", None)
    if known is None or len(queryset.query.where.children) != 1:
        return None
    return known


def is_ranked(queryset: QuerySet) -> bool:
    return RANK_ALIAS in queryset.query.annotations


def by_relevance(queryset: QuerySet) -> QuerySet:
    """Most relevant first, then the list's own order (unranked results keep it)."""
    if not is_ranked(queryset):
        return queryset
    return queryset.order_by(F(RANK_ALIAS).desc(), *queryset.query.order_by)


def in_list_order(queryset: QuerySet) -> QuerySet:
    """The list's own order, relevance left out (undoes `by_relevance`)."""
    if not is_ranked(queryset):
        return queryset
    order = [item for item in queryset.query.order_by if not is_rank(item)]
    return queryset.order_by(*order)


def is_rank(order_item) -> bool:
    return getattr(getattr(order_item, "expression", None), "name", None) == RANK_ALIAS
