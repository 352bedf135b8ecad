"""Notifications (in-app and e-mail outbox): models arrive with the takeover issue."""
