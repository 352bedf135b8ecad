"""L'onglet synthese : son formulaire."""
