"""PHQ-9 and GAD-7: LOINC tables, reference scoring and reference vectors for app teams."""
