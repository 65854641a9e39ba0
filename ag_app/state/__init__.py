"""Thin Reflex states: one per page or feature, flat under ``rx.State``."""
