from rest_framework.pagination import PageNumberPagination

from core.derived import CachedCountPaginator


class Pagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator  # counts over millions of scores, cached
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
