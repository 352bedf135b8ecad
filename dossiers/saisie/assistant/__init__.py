"""L'assistant « Nouvelle demande » : ses étapes et sa vue."""
