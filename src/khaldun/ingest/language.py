"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_CHARS_TO_JUDGE = 40
MIN_CONFIDENCE = 0.90


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability for the first few thousand characters."""
    lang, prob = _identifier().classify(text[:4000])
    return str(lang), float(prob)


def non_english_reason(text: str) -> str | None:
    """Why the text is refused as not English, or None when it is English (or too short to tell)."""
    if len(text) < MIN_CHARS_TO_JUDGE:
        return None
    lang, prob = detect_language(text)
    if lang != "en" and prob >= MIN_CONFIDENCE:
        return (
            f"not English: language detected as '{lang}' (probability {prob:.2f}); "
            "khaldun codes English reporting only"
        )
    return None
