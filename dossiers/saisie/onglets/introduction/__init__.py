"""L'onglet introduction : son formulaire."""
