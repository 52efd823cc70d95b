"""Outbound webhooks: admins subscribe a URL to events; each event becomes one signed
delivery per subscription, sent by the worker with retries and logged (docs/api.md)."""
