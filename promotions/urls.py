"""Promotions pages under /promotions/: the evidence pack and its exports (``evidence_urls``),
recommendations, reference requests and reserve cadres (``workflow_urls``)."""

from .evidence_urls import urlpatterns as evidence_patterns
from .workflow_urls import urlpatterns as workflow_patterns

app_name = "promotions"

urlpatterns = [*evidence_patterns, *workflow_patterns]
