"""Les calculs du dossier : salaire minimum, estimation du financement, identité (NIR et nom)."""
