"""Gait events: initial contact, toe-off, midstance, and step validity (METRICS.md section 3)."""
