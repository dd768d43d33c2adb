"""Reads for debates."""

__all__: list[str] = []
