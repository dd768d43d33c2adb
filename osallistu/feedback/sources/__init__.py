"""Adapters that read feedback requests from a city's feedback service."""

from .base import (
    FeedbackSource,
    FeedbackSourceError,
    RequestBatch,
    RequestRecord,
    ServiceRecord,
)

__all__ = [
    "FeedbackSource",
    "FeedbackSourceError",
    "RequestBatch",
    "RequestRecord",
    "ServiceRecord",
]
