"""Writes for themes."""

__all__: list[str] = []
