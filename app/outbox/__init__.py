"""The outboxes: e-mail, SMS and webhook delivery, their secrets, the notices to requesters."""
