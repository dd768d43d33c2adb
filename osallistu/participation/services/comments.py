"""Writes for comments."""

__all__: list[str] = []
