"""Coding throughput and memory on a corpus made of real news sentences.

The sentences of ../shared/data/cameo_quad/train.tsv (real news sentences, Multi-CoPED) are
grouped, in file order, into articles of SENTENCES_PER_ARTICLE sentences, published on a fixed
date. Prints articles/s, sentences/s and peak RSS, plus stage load times. Figures, not
assertions: the machines are noisy.

    python bench/bench_coding.py [--shared DIR] [--per-article N] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from datetime import date
from pathlib import Path

from khaldun.config import shared_dir
from khaldun.ingest.readers import make_article
from khaldun.model import Article, Failure


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_corpus(shared: Path, per_article: int, limit: int | None) -> tuple[list[Article], int]:
    path = shared / "data" / "cameo_quad" / "train.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        sentences = [row[0].strip() for row in csv.reader(handle, delimiter="\t") if row and row[0].strip()]
    articles: list[Article] = []
    used = 0
    for start in range(0, len(sentences), per_article):
        chunk = sentences[start : start + per_article]
        try:
            articles.append(
                make_article(f"{path.name}#{start}", " ".join(chunk), fmt="bench", published=date(2018, 6, 1))
            )
            used += len(chunk)
        except Exception as err:  # a chunk the ingest refuses is reported, not fatal
            print(f"skipped chunk {start}: {err}", file=sys.stderr)
        if limit and len(articles) >= limit:
            break
    return articles, used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--per-article", type=int, default=6)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    root = shared_dir(args.shared)
    if root is None:
        print("bench: no shared folder (give --shared or set KHALDUN_SHARED); nothing measured")
        return 2

    t0 = time.perf_counter()
    from khaldun.pipeline import Pipeline

    pipeline = Pipeline()
    load_s = time.perf_counter() - t0
    articles, n_sentences = load_corpus(root, args.per_article, args.limit)
    rss_after_load = peak_rss_mb()

    t1 = time.perf_counter()
    n_events = n_failed = 0
    for result in pipeline.code_many(articles):
        if isinstance(result, Failure):
            n_failed += 1
        else:
            n_events += sum(1 for e in result.events if e.counted)
    elapsed = time.perf_counter() - t1
    rss_after_coding = peak_rss_mb()

    from khaldun.eval.geo import CORPORA
    from khaldun.eval.geo import load_corpus as load_geo_corpus
    from khaldun.places.gazetteer import get_gazetteer
    from khaldun.places.resolve import Resolver

    get_gazetteer.cache_clear()
    t2 = time.perf_counter()
    gaz = get_gazetteer()
    gaz_load = time.perf_counter() - t2
    # 1,000 real toponyms with their article context: the first gold toponyms of LGL
    docs = load_geo_corpus(root / "data" / "geoparsing" / CORPORA["lgl"])
    batches: list[list[str]] = []
    count = 0
    for doc in docs:
        names = [t.text for t in doc.toponyms][: 1000 - count]
        if names:
            batches.append(names)
            count += len(names)
        if count >= 1000:
            break
    resolver = Resolver(gaz)
    t3 = time.perf_counter()
    for names in batches:
        resolver.resolve(names)
    resolve_s = time.perf_counter() - t3

    per = args.per_article
    coded = len(articles) - n_failed
    print(f"corpus: {len(articles)} articles, {n_sentences} sentences ({per}/article), cameo_quad/train.tsv")
    print(f"pipeline load: {load_s:.2f} s   (peak RSS after load {rss_after_load:.0f} MB)")
    print(f"coded: {coded} articles, {n_events} asserted/attempted events, {n_failed} failed")
    print(f"time: {elapsed:.2f} s")
    print(f"throughput: {len(articles) / elapsed:.1f} articles/s, {n_sentences / elapsed:.1f} sentences/s")
    print(f"peak RSS while coding: {rss_after_coding:.0f} MB")
    print(f"gazetteer: {len(gaz):,} places, {len(gaz.index):,} names; load from cache {gaz_load:.2f} s")
    print(
        f"resolution: {count:,} toponyms of {len(batches)} LGL articles, resolved in context, "
        f"in {resolve_s:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
