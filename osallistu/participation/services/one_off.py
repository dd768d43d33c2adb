"""Writes for one off."""

__all__: list[str] = []
