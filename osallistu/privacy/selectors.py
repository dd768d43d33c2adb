"""Reads of the privacy app."""

from django.utils import translation

from . import retention
from .models import PrivacyNotice, Processing
from .notices import FACTS


def notice_context(processing: str) -> dict:
    """Return what a notice page shows: staff's text if any, else the built-in facts."""
    notice = PrivacyNotice.objects.filter(processing=processing).first()
    language = (translation.get_language() or "fi")[:2]
    custom_text = notice.text(language) if notice else ""
    facts = FACTS[processing]
    periods = [retention.kind(code) for code in facts.retention_kinds]
    return {
        "processing": processing,
        "processing_label": Processing(processing).label,
        "custom_text": custom_text,
        "facts": facts,
        "periods": periods,
        "updated_at": notice.updated_at if notice else None,
    }
