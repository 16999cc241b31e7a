"""Events: PLOVER coding from triggers, arguments, modality and evidence."""

from khaldun.events.coder import EventCoder
from khaldun.events.ontology import Ontology, get_ontology

__all__ = ["EventCoder", "Ontology", "get_ontology"]
