"""L'onglet salarie : son formulaire."""
