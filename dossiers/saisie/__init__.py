"""La saisie : le web de l'adhérent et du prestataire (assistant, onglets, listes), au-dessus du domaine."""
