"""Assessment pages, one module per part: ``board`` (the period board, closing and recomputing,
rankings, awards), ``entries`` (deductions and bonuses, their evidence, a person's record,
appeals), ``ratings`` (rectification cases, extensions, call-backs, rating rates and statistics,
the rating import); ``lists`` holds what their list pages share. The overdue-case proposals
(``assessments.case_views``) and the scoring inputs (``assessments.inputs``) are pages of their
own. Thin: read through selectors, write through services."""
