"""Notifications: in-app (the bell) and the outbox of e-mails, written in the transaction that causes them."""
