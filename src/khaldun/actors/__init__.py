"""Actors: knowledge base, phrase matcher, generic agents and coreference-lite."""

from khaldun.actors.kb import ActorEntry, KnowledgeBase, get_kb
from khaldun.actors.matcher import ActorFinder

__all__ = ["ActorEntry", "ActorFinder", "KnowledgeBase", "get_kb"]
