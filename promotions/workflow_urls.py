"""Recommendations, performance-reference requests, reserve cadres, the HR home."""

urlpatterns: list = []
