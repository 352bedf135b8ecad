"""L'onglet contrat : son formulaire."""
