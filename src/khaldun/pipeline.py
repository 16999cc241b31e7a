"""Builds the pipeline and codes articles: nlp → places → actors → time → events → merge.

`Pipeline.code(article)` is the one entry point every front end (CLI, eval, bench, API)
uses, so they all code the same way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language

from khaldun.actors import ActorFinder
from khaldun.events import EventCoder
from khaldun.events.penta import PentaModel, get_penta_model, rescore
from khaldun.merge import merge_within_article
from khaldun.model import Article, CodedArticle, Failure
from khaldun.nlp import get_nlp
from khaldun.places.finder import PlaceFinder, focus_country
from khaldun.time.resolver import TimeFinder


@dataclass
class Pipeline:
    """All stages, loaded once; reuse one instance for a batch."""

    nlp: Language = field(default_factory=get_nlp)
    actors: ActorFinder = field(default_factory=ActorFinder)
    places: PlaceFinder = field(default_factory=PlaceFinder)
    times: TimeFinder = field(default_factory=TimeFinder)
    events: EventCoder = field(default_factory=EventCoder)
    penta: PentaModel | None = field(default_factory=get_penta_model)

    def code(self, article: Article) -> CodedArticle:
        return self._code_doc(article, self.nlp(article.text))

    def code_many(
        self, articles: Iterable[Article | Failure], batch_size: int = 16
    ) -> Iterator[CodedArticle | Failure]:
        """Codes a stream, parsing in batches; a failure in one article is reported, not raised."""
        pending: list[Article] = []
        for item in articles:
            if isinstance(item, Failure):
                yield from self._flush(pending, batch_size)
                pending = []
                yield item
                continue
            pending.append(item)
            if len(pending) >= batch_size:
                yield from self._flush(pending, batch_size)
                pending = []
        yield from self._flush(pending, batch_size)

    def _flush(self, articles: list[Article], batch_size: int) -> Iterator[CodedArticle | Failure]:
        if not articles:
            return
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size)
        for article, doc in zip(articles, docs, strict=True):
            try:
                yield self._code_doc(article, doc)
            except Exception as err:  # one article must never stop the batch
                yield Failure(article.source, f"coding failed: {type(err).__name__}: {err}", article.id)

    def _code_doc(self, article: Article, doc: object) -> CodedArticle:
        from spacy.tokens import Doc

        assert isinstance(doc, Doc)
        started = time.perf_counter()
        kb_found = self.actors.kb_mentions(doc, article.published)
        kb_spans = [
            (m.start, m.end)
            for m in kb_found
            if not m.metonym
            and not any(r.actor_id and self.actors.kb.entries[r.actor_id].state for r in m.refs)
        ]
        places = self.places.find(doc, blocked=kb_spans)
        focus = focus_country(places)
        actors = self.actors.find(doc, article.published, focus, places, kb_found)
        times = self.times.find(doc, article.published)
        events = self.events.code(doc, article, actors, places, times)
        merged = rescore(doc, merge_within_article(events), self.penta)
        return CodedArticle(
            article=article,
            events=tuple(merged),
            actors=tuple(r for m in actors for r in m.refs),
            places=tuple(p.place for p in places),
            seconds=time.perf_counter() - started,
        )
