"""Attendance pages, one module per part: ``days`` (the day view, a person's month — phone-first for
window staff —, the on-duty board and the hall screen), ``leave`` (leave and stepping out),
``month`` (make-up punches, the punch import, deriving days, month end, the monthly sheet)."""
