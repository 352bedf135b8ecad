"""Reference data: companies, establishments, attachments of users, format validators."""
