"""Notifications: the in-app list of what happened, and the outbox of mails sent outside the request."""
