"""Secrets handling: password hashing and tokens (sessions, one-time tokens, API keys)."""
