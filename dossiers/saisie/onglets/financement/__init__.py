"""L'onglet financement : son formulaire."""
