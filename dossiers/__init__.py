"""Dossiers: the contrat de professionnalisation. The domain at the top of this package, data entry in ``saisie/``,
the back office in ``instruction/`` (docs/architecture.md)."""
