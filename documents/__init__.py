"""Documents of a dossier (pièces jointes, CERFA): models arrive with the Documents and CERFA issues."""
