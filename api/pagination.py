"""Pagination: numbered pages with a capped size; the events feed is cursor-paginated.

Numbered pages cost about the same at any depth and size of list:

- The count is exact up to `EXACT_COUNT_LIMIT` rows (counted no further than that); a
  longer list on PostgreSQL, or a search with more matches than it ranks
  (tracker.search.RANKED_MATCHES), is given the planner's estimate, said so by
  `"count_is_estimate": true` in the body and an `X-Count-Estimate: true` header. A
  search that is the list's only condition is counted by what it learnt of its matches
  (tracker.search.matches_if_alone): no count or estimate of the list runs.
- A deep page (from `IDS_FIRST_OFFSET` rows on), a page of search results ranked by
  relevance, and any page of a list whose rows are read by a kept statement
  (api.rows.ListRows) reads the page's ids first, from the list's table alone (an
  index-only scan for the default order), then only those rows with everything a row
  shows, so no join or disk sort runs over the rows before the page, and the query
  that walks the list, testing each row against a search, plans no joins.
- `cursor` reads the page after a position instead (api.keyset): from the list's order
  index, the same cost at any depth. An empty `cursor` reads the first page; each
  page's `next` link carries the cursor of the following one, and `count` is null (not
  counted: a page read by cursor runs no count). Search results read by cursor come in
  the list's order (relevance orders numbered pages).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from database.reads import planned_rows
from tracker.models import Event
from tracker.search import (
    RANK_ALIAS,
    RANKED_MATCHES,
    has_many_matches,
    in_list_order,
    matches_if_alone,
)

from . import keyset

MAX_PAGE_SIZE = 200
EXACT_COUNT_LIMIT = 10_000
IDS_FIRST_OFFSET = 1_000
COUNT_ESTIMATE_HEADER = "X-Count-Estimate"


def ids_of(queryset):
    """The ids of a list's rows, as many as its rows: counted and estimated like the rows,
    at a fraction of their query's cost to compile and run. A list's columns, and the
    joins that only show one related row (select_related), do not change how many rows
    there are; DISTINCT over all columns could, so a DISTINCT list is kept whole."""
    if queryset.query.distinct:
        return queryset
    return queryset.select_related(None).values("pk")


def planner_estimate(queryset) -> int | None:
    """The planner's row estimate for `queryset` (PostgreSQL), without running it."""
    sql, params = ids_of(queryset).order_by().query.sql_with_params()
    return planned_rows(sql, params, using=queryset.db)


def kept_rows(queryset):
    """The reader of a list's rows by their ids, when the list has one (api.rows.ListRows)."""
    return getattr(queryset, "by_ids", None)


def listed_of(queryset):
    """The queryset a list's rows were read from (`listed`, when the view sets it): the
    rows' `.values()` joins the tables a row shows, which counting the list, or reading
    its ids or keys, does not need (and a join kept in those would slow them)."""
    return getattr(queryset, "listed", queryset)


class RowsPaginator(Paginator):
    """Counts a list of rows on the queryset they were read from (see listed_of). Counts
    exactly up to EXACT_COUNT_LIMIT, estimates beyond."""

    count_is_estimate = False

    @cached_property
    def count(self):
        queryset = listed_of(self.object_list)
        if not hasattr(queryset, "query"):
            return len(queryset)
        if queryset.query.is_empty():  # e.g. a search that found nothing: no query to build
            return 0
        known = matches_if_alone(queryset)  # what a search alone learnt of its matches
        capped = RANKED_MATCHES + 1  # a search found more than it ranks
        if not has_many_matches(queryset):
            if known is not None:
                return known
            capped = ids_of(queryset).order_by()[: EXACT_COUNT_LIMIT + 1].count()
            if capped <= EXACT_COUNT_LIMIT:
                return capped
        estimate = known if known is not None else planner_estimate(queryset)
        if estimate is None:
            return queryset.count()
        self.count_is_estimate = True
        return max(estimate, capped)

    def validate_number(self, number):
        if not self.count_is_estimate:
            return super().validate_number(number)
        # With an estimated count the last page is not known: a page past the end is
        # found empty when read (see page()).
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("That page number is not an integer") from exc
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        rows, more = self.read(offset, self.per_page)
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        page = Page(rows, number, self)
        if self.count_is_estimate:
            page.has_next = lambda: more
        return page

    def read(self, offset: int, limit: int) -> tuple[list, bool]:
        """The rows at `offset`, and whether any follow."""
        queryset = self.object_list
        if hasattr(queryset, "query") and queryset.query.is_empty():
            return [], False
        if self.reads_ids_first(queryset, offset):
            return self.read_ids_first(queryset, offset, limit)
        rows = list(queryset[offset : offset + limit + 1])
        return rows[:limit], len(rows) > limit

    @staticmethod
    def reads_ids_first(queryset, offset: int) -> bool:
        if not hasattr(queryset, "query"):
            return False
        if queryset._fields and queryset.model._meta.pk.attname not in queryset._fields:
            return False  # rows that do not carry their id
        kept = kept_rows(queryset) is not None  # the rows cost a prepared statement
        return kept or offset >= IDS_FIRST_OFFSET or RANK_ALIAS in queryset.query.annotations

    @staticmethod
    def read_ids_first(queryset, offset: int, limit: int) -> tuple[list, bool]:
        ids = list(listed_of(queryset).values_list("pk", flat=True)[offset : offset + limit + 1])
        return rows_of(queryset, ids[:limit]), len(ids) > limit


def rows_of(queryset, ids: list) -> list:
    """The rows of `queryset` with these ids, in the ids' order."""
    if not ids:
        return []
    position = {pk: index for index, pk in enumerate(ids)}
    attname = queryset.model._meta.pk.attname
    by_ids = kept_rows(queryset)
    rows = by_ids.read(ids, queryset.db) if by_ids else None
    if rows is None:
        rows = list(queryset.filter(pk__in=ids).order_by())
    rows.sort(key=lambda row: position[row[attname] if isinstance(row, dict) else row.pk])
    return rows


class PagePagination(PageNumberPagination):
    django_paginator_class = RowsPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    by_cursor = False
    next_cursor = None

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param in request.query_params:
            return self.paginate_by_cursor(queryset, request)
        try:
            return super().paginate_queryset(queryset, request, view)
        except InvalidPage as exc:  # a page past an estimated end
            raise NotFound(
                self.invalid_page_message.format(
                    page_number=request.query_params.get("page"), message=str(exc)
                )
            ) from exc

    def paginate_by_cursor(self, queryset, request) -> list:
        """The page after the request's cursor: its keys from the order's index, then its rows."""
        self.request = request
        self.by_cursor = True
        if self.page_query_param in request.query_params:  # one of the two would be ignored
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Give either {self.page_query_param} or "
                        f"{self.cursor_query_param}, not both."
                    ]
                }
            )
        listed = in_list_order(listed_of(queryset))  # the keys are read without the rows' joins
        queryset = in_list_order(queryset)
        try:
            keys = keyset.keys_of(listed)
            cursor = request.query_params[self.cursor_query_param]
            position = keyset.decode(cursor, keys, queryset.model) if cursor else None
        except (keyset.NotKeyed, keyset.NotAPosition) as exc:
            raise ValidationError({self.cursor_query_param: [str(exc)]}) from exc
        size = self.get_page_size(request)
        ordered = keyset.ordered_by(listed, keys)
        if position is not None:
            ordered = ordered.filter(keyset.after(keys, position))
        found = list(ordered.values_list(*(key.field for key in keys))[: size + 1])
        pk_index = len(keys) - 1  # the primary key is the last key
        rows = rows_of(queryset, [values[pk_index] for values in found[:size]])
        self.next_cursor = keyset.encode(keys, found[size - 1]) if len(found) > size else None
        return rows

    def get_paginated_response(self, data):
        if self.by_cursor:
            return Response(
                {
                    "count": None,
                    "next": self.get_next_cursor_link(),
                    "previous": None,
                    "results": data,
                }
            )
        response = super().get_paginated_response(data)
        if self.page.paginator.count_is_estimate:
            response.data["count_is_estimate"] = True
            response[COUNT_ESTIMATE_HEADER] = "true"
        return response

    def get_next_cursor_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Read the page after this position instead of a numbered page: the same cost at any "
                "depth. Empty for the first page; each page's `next` link carries the following cursor "
                "(`previous` and `count` are null). Search results read by cursor come in the "
                "list's order, not by relevance.",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            f"Exact up to {EXACT_COUNT_LIMIT:,} rows; beyond, the database's estimate (see count_is_estimate). "
            "Null on a page read by `cursor` (not counted)."
        )
        described["properties"]["count"]["nullable"] = True
        described["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "Present (true) only when `count` is an estimate; also sent as the "
            f"{COUNT_ESTIMATE_HEADER} header.",
        }
        return described


class EventFeedPagination(CursorPagination):
    """Stable under inserts: a poller never sees a row twice or misses one.

    A list whose rows a kept statement reads (api.rows.ListRows) is paged on its keys
    alone, from the list's table, and then reads the page's rows by their ids, as the
    numbered pages do."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-occurred_on", "-id")

    def encode_cursor(self, cursor):
        """The feed's position, signed: only a cursor of ours is read back."""
        token = keyset.sign({"o": cursor.offset, "r": cursor.reverse, "p": cursor.position})
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None  # the first page
        try:
            payload = keyset.unsign(encoded)
            offset, reverse, position = payload["o"], payload["r"], payload["p"]
        except (keyset.NotAPosition, KeyError) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        if (
            not isinstance(offset, int)
            or isinstance(offset, bool)
            or not 0 <= offset <= self.offset_cutoff
            or not isinstance(reverse, bool)
            or not (position is None or (isinstance(position, str) and keyset.storable(position)))
            or not self._position_fits(position)
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return Cursor(offset=offset, reverse=reverse, position=position)

    def _position_fits(self, position: str | None) -> bool:
        """Whether the position is a value of the feed's first ordering column (a date)."""
        if position is None:
            return True
        field = Event._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            keyset.column_value(field, position)
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            return False
        return True

    def paginate_queryset(self, queryset, request, view=None):
        if kept_rows(queryset) is None:
            return super().paginate_queryset(queryset, request, view)
        fields = [field.lstrip("-") for field in self.get_ordering(request, queryset, view)]
        keys = super().paginate_queryset(listed_of(queryset).values("pk", *fields), request, view)
        if keys is None:
            return None
        self.page = rows_of(
            queryset, [key["pk"] for key in keys]
        )  # what the links' positions are read from
        return self.page
