"""Documents of a dossier: the pieces (stored, checked by their content) and the CERFA engine (``cerfa/``). It
knows the dossier only as a model reference: the dossier's side is ``dossiers`` (docs/architecture.md)."""
