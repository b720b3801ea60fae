"""Training pages, one module per part: ``catalog`` (courses), ``sessions`` (the calendar, a
session, enrolling, attendance, feedback), ``people`` (a person's training and menu, skills),
``reports`` (hours and reports), ``policies`` (policy updates)."""
