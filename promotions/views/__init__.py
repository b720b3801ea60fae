"""Promotions pages, one module per part: ``evidence`` and ``exports`` (the evidence pack),
``workflow`` (recommendations, the HR home), ``references``, ``reserve``."""
