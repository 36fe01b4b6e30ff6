"""Webhook delivery: signing, the retry schedule, the HTTP sender and the background worker."""
