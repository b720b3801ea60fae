"""The evidence pack: what window service proves for promotion (``pack``), its labels when shown
(``labels``), the xlsx (``xlsx``), frozen numbered snapshots (``snapshots``), batch exports built
in Celery (``exports``), the period form and the scoped selectors — ``docs/evidence.md``."""
