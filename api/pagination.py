"""Pagination: numbered pages with a capped size; the events feed is cursor-paginated.

Numbered pages cost about the same at any depth and size of list:

- The count is exact up to `EXACT_COUNT_LIMIT` rows (counted no further than that); a
  longer list on PostgreSQL, or a search with more matches than it ranks
  (tracker.search.RANKED_MATCHES), is given the planner's estimate, said so by
  `"count_is_estimate": true` in the body and an `X-Count-Estimate: true` header.
- A deep page (from `IDS_FIRST_OFFSET` rows on) or a page of search results ranked by
  relevance reads the page's ids first, from the list's table alone (an index-only
  scan for the default order), then only those rows with everything a row shows, so
  no join or disk sort runs over the rows before the page.
"""

from __future__ import annotations

import json

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from tracker.search import RANK_ALIAS, RANKED_MATCHES, has_many_matches

MAX_PAGE_SIZE = 200
EXACT_COUNT_LIMIT = 10_000
IDS_FIRST_OFFSET = 1_000
COUNT_ESTIMATE_HEADER = "X-Count-Estimate"


def planner_estimate(queryset) -> int | None:
    """The planner's row estimate for `queryset` (PostgreSQL), without running it."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class RowsPaginator(Paginator):
    """Counts a list of rows on the queryset they were read from (`countable`, when the
    view sets it): the rows' `.values()` joins the tables a row shows, which a count
    does not need. Counts exactly up to EXACT_COUNT_LIMIT, estimates beyond."""

    count_is_estimate = False

    @cached_property
    def countable(self):
        return getattr(self.object_list, "countable", self.object_list)

    @cached_property
    def count(self):
        queryset = self.countable
        if not hasattr(queryset, "query"):
            return len(queryset)
        capped = RANKED_MATCHES + 1  # a search found more than it ranks
        if not has_many_matches(queryset):
            capped = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
            if capped <= EXACT_COUNT_LIMIT:
                return capped
        estimate = planner_estimate(queryset)
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
        if self.reads_ids_first(queryset, offset):
            return self.read_ids_first(queryset, offset, limit)
        rows = list(queryset[offset: offset + limit + 1])
        return rows[:limit], len(rows) > limit

    @staticmethod
    def reads_ids_first(queryset, offset: int) -> bool:
        if not hasattr(queryset, "query"):
            return False
        if queryset._fields and queryset.model._meta.pk.attname not in queryset._fields:
            return False  # rows that do not carry their id
        return offset >= IDS_FIRST_OFFSET or RANK_ALIAS in queryset.query.annotations

    @staticmethod
    def read_ids_first(queryset, offset: int, limit: int) -> tuple[list, bool]:
        ids = list(queryset.values_list("pk", flat=True)[offset: offset + limit + 1])
        wanted = ids[:limit]
        position = {pk: index for index, pk in enumerate(wanted)}
        attname = queryset.model._meta.pk.attname
        rows = list(queryset.filter(pk__in=wanted).order_by())
        rows.sort(key=lambda row: position[row[attname] if isinstance(row, dict) else row.pk])
        return rows, len(ids) > limit


class PagePagination(PageNumberPagination):
    django_paginator_class = RowsPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except InvalidPage as exc:  # a page past an estimated end
            raise NotFound(self.invalid_page_message.format(page_number=request.query_params.get("page"),
                                                            message=str(exc))) from exc

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.count_is_estimate:
            response.data["count_is_estimate"] = True
            response[COUNT_ESTIMATE_HEADER] = "true"
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            f"Exact up to {EXACT_COUNT_LIMIT:,} rows; beyond, the database's estimate (see count_is_estimate)."
        )
        described["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "Present (true) only when `count` is an estimate; also sent as the "
            f"{COUNT_ESTIMATE_HEADER} header.",
        }
        return described


class EventFeedPagination(CursorPagination):
    """Stable under inserts: a poller never sees a row twice or misses one."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-occurred_on", "-id")
