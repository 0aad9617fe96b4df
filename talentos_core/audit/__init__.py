"""The tamper-evident audit chain (CONTRACT §7)."""
