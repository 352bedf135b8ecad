"""L'onglet documents : son formulaire et les vues des pièces."""
