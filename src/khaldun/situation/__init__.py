"""The situation the reporting describes: who acts on whom, cooperating or fighting, where, and
how that changes (`khaldun situation`)."""

from khaldun.situation.model import Situation, build_situation

__all__ = ["Situation", "build_situation"]
