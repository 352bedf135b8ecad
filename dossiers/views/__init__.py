"""Web layer of dossiers, split by use case: wizard, tabs, lists."""
