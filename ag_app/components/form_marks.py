"""Marking the fields a refused form named (issue 17): ``aria-invalid`` and a red input."""

import reflex as rx


def named(fields: rx.Var, *names: str | rx.Var) -> rx.Var:
    """Whether the state's ``invalid_fields`` list names one of ``names``."""
    found = fields.contains(names[0])
    for name in names[1:]:
        found = found | fields.contains(name)
    return found


def aria_invalid(fields: rx.Var, *names: str | rx.Var) -> dict[str, rx.Var]:
    """``aria-invalid`` only (for native selects and fieldsets)."""
    return {"aria_invalid": rx.cond(named(fields, *names), "true", "false")}


def marked(fields: rx.Var, *names: str | rx.Var) -> dict[str, rx.Var]:
    """Props for a Radix input or text area: ``aria-invalid`` and a red colour when named."""
    bad = named(fields, *names)
    return {"aria_invalid": rx.cond(bad, "true", "false"), "color_scheme": rx.cond(bad, "red", "gray")}


def group_mark(fields: rx.Var, *names: str | rx.Var) -> dict[str, rx.Var]:
    """A red bar at the left of a group of controls (checkboxes, a question card) when named."""
    return {"box_shadow": rx.cond(named(fields, *names), "inset 4px 0 0 var(--red-9)", "none")}
