"""Large, realistic reference tables for ``make bench`` (bulk-created, never used by the unit tests)."""
