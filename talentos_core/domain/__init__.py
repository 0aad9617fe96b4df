"""Pure domain types and rules, one module per area: no I/O, no serialization settings."""
