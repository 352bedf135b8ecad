"""L'onglet employeur : son formulaire."""
