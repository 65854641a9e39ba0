"""The list of routers the API serves (each feature module adds its router here)."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
