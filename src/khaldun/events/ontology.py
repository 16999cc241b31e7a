"""PLOVER types and modes with quad class, scores and ACLED mapping (data/ontology/plover.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from khaldun.config import load_yaml
from khaldun.model import EventType


@dataclass(frozen=True)
class Ontology:
    types: dict[str, dict[str, Any]]
    contexts: frozenset[str]

    def event_type(
        self, plover: str, mode: str | None = None, context: str | None = None, cameo: str | None = None
    ) -> EventType:
        """The full type record: quad, score and ACLED mapping of a PLOVER type and mode."""
        if plover not in self.types:
            raise ValueError(f"unknown PLOVER type {plover!r}")
        info = self.types[plover]
        modes: dict[str, Any] = info.get("modes") or {}
        if mode is not None and mode not in modes:
            raise ValueError(f"unknown mode {mode!r} for PLOVER type {plover}")
        if context is not None and context not in self.contexts:
            raise ValueError(f"unknown PLOVER context {context!r}")
        score = float(info["score"])
        acled = info.get("acled")
        mode_info = modes.get(mode) if mode else None
        if isinstance(mode_info, dict):
            score = float(mode_info.get("score", score))
            acled = mode_info.get("acled", acled)
        elif mode_info is not None:
            score = float(mode_info)
        return EventType(
            plover=plover,
            mode=mode,
            context=context,
            cameo=cameo,
            quad=int(info["quad"]),
            score=score,
            acled_type=acled[0] if acled else None,
            acled_subtype=acled[1] if acled else None,
        )


@cache
def get_ontology() -> Ontology:
    raw = load_yaml("ontology", "plover.yaml")
    return Ontology(types=raw["types"], contexts=frozenset(raw["contexts"]))
