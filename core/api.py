from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from core.pagination import CountPaginator


class Pagination(PageNumberPagination):
    # exact counts over an index; the planner's estimate above CENTER['PAGINATOR_ESTIMATE_ABOVE']
    django_paginator_class = CountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, except that a read-only choice field of a ``blank=True`` model field
    keeps ``allow_blank``: DRF drops it from read-only fields, so the OpenAPI schema would deny
    the empty value the API really returns (an unrated event, an open stationing's end reason)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice:
            kwargs["allow_blank"] = True
        return kwargs
