"""Every write of the assessments app. Split by topic; import from the topic modules."""
