"""Notices to units: an inbox on the site, and copies by email and chat-bot webhooks."""
