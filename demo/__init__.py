"""The demo center of the source article (470 staff, 41 departments) or a province, built from
every app's services: one module per app, composed by ``manage.py seed_demo``. Off the
dependency line: it may import every app, and none imports it (``tests/test_layering.py``)."""
