"""NLP: one spaCy Language object for all stages, with khaldun's own components."""

from khaldun.nlp.loader import get_nlp, normalise_key, span_key

__all__ = ["get_nlp", "normalise_key", "span_key"]
