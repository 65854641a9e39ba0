"""Column helpers shared by the tables."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlmodel import Field


def instant(*, nullable: bool = False, index: bool = False, default: Any = ...) -> Any:
    """A timezone-aware UTC instant column."""
    kwargs = {} if default is ... else {"default": default}
    return Field(sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index), **kwargs)


__all__ = ["datetime", "instant"]
