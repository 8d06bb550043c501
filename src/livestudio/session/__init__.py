"""The session layer: pattern files -> tracks -> cycle-stamped events for an engine."""
