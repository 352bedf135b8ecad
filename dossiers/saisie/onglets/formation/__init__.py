"""L'onglet formation : son formulaire et les vues des modules."""
