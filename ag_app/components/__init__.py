"""Rendering-only building blocks: no database, no rules."""
