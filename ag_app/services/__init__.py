"""Use cases: ``(session, *, actor_id, ..., now) -> plain DTOs``; one transaction each, no Reflex."""
