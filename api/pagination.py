"""Pagination: numbered pages with a capped size; the events feed is cursor-paginated."""

from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 200


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class EventFeedPagination(CursorPagination):
    """Stable under inserts: a poller never sees a row twice or misses one."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-occurred_on", "-id")
