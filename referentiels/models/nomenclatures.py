"""nomenclatures referential (filled by its issue-3 work)."""

__all__: list[str] = []
