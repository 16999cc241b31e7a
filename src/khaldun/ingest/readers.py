"""Readers per input format. Each yields `Article`s, or `Failure`s that name the input and why.

One bad file, line or row never stops the batch: it becomes a `Failure` and reading goes on.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from khaldun.config import MAX_ARTICLE_CHARS
from khaldun.ingest.clean import decode, guess_title, looks_binary, normalise_text, strip_chrome
from khaldun.ingest.errors import IngestError
from khaldun.ingest.language import non_english_reason
from khaldun.model import Article, Failure

MAX_SINGLE_ARTICLE_BYTES = 5 * 1024 * 1024  # a .txt/.html bigger than this is not one article
TEXT_FIELDS = ("text", "body", "content", "article", "story", "full_text", "maintext")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("published", "date", "publication_date", "pub_date", "published_at", "datetime")
URL_FIELDS = ("url", "link", "source_url")
OUTLET_FIELDS = ("outlet", "source", "publisher", "site", "site_name", "agency")

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES
)

KIND_BY_SUFFIX = {
    **dict.fromkeys(TEXT_SUFFIXES, "text"),
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    **dict.fromkeys(JSONL_SUFFIXES, "jsonl"),
    **dict.fromkeys(JSON_SUFFIXES, "json"),
    **dict.fromkeys(CSV_SUFFIXES, "csv"),
    **dict.fromkeys(FEED_SUFFIXES, "feed"),
}

Item = Article | Failure


def parse_date(value: object, source: str) -> date | None:
    """A publication date from ISO text, a datetime, or a free-form date string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        parsed_iso: date = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        return parsed_iso
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        raise IngestError(source, f"publication date {text!r} is not a date")
    result: date = parsed.date()
    return result


def make_article(
    source: str,
    text: str,
    *,
    fmt: str,
    title: str | None = None,
    published: date | None = None,
    url: str | None = None,
    strip_lines: bool = True,
) -> Article:
    """Clean, check and identify one article's text; raise IngestError with the reason."""
    if len(text) > MAX_ARTICLE_CHARS * 4:
        raise IngestError(source, _too_large_reason(len(text.encode("utf-8", "replace"))))
    cleaned = normalise_text(text)
    if strip_lines:
        cleaned = strip_chrome(cleaned)
    if not cleaned.strip():
        raise IngestError(source, "empty: no article text left after removing site chrome")
    if len(cleaned) > MAX_ARTICLE_CHARS:
        raise IngestError(
            source,
            f"text is {len(cleaned):,} characters; one article may have at most "
            f"{MAX_ARTICLE_CHARS:,} (split the corpus into articles, e.g. one per JSONL line)",
        )
    reason = non_english_reason(cleaned)
    if reason:
        raise IngestError(source, reason)
    return Article(
        id=Article.make_id(cleaned),
        text=cleaned,
        source=source,
        title=title or guess_title(cleaned),
        published=published,
        url=url,
        fmt=fmt,
    )


def _too_large_reason(size: int) -> str:
    return (
        f"file is {size / 1e6:.1f} MB; one article may be at most "
        f"{MAX_SINGLE_ARTICLE_BYTES / 1e6:.1f} MB (is it a corpus? give it as JSONL or CSV, "
        "one article per line or row)"
    )


def _read_single_file_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise IngestError(str(path), "empty file (0 bytes)")
    if size > MAX_SINGLE_ARTICLE_BYTES:
        raise IngestError(str(path), _too_large_reason(size))
    data = path.read_bytes()
    if looks_binary(data):
        raise IngestError(str(path), "binary file, not text (contains NUL or control bytes)")
    return data


def _read_text(path: Path) -> str:
    data = _read_single_file_bytes(path)
    try:
        return decode(data)
    except UnicodeDecodeError as err:
        raise IngestError(str(path), f"cannot decode as text: {err.reason}") from None


def html_to_article(source: str, html: str, published: date | None, url: str | None = None) -> Article:
    """Main text and metadata from an HTML page; site chrome removed by trafilatura."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text, title, page_date = "", None, None
    if extracted is not None:
        meta: dict[str, Any] = extracted if isinstance(extracted, dict) else extracted.as_dict()
        text = str(meta.get("text") or "")
        title = meta.get("title") or None
        page_date = meta.get("date") or None
        url = url or meta.get("url") or None
    if not text.strip():
        text = _paragraph_text(html)
    if not text.strip():
        raise IngestError(source, "no article text found in the HTML (no paragraphs of prose)")
    when = published or _safe_date(page_date, source)
    return make_article(source, text, fmt="html", title=title, published=when, url=url)


def _paragraph_text(html: str) -> str:
    """Fallback for pages trafilatura rejects (short or broken markup): the <p> texts."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types on hopeless markup
        return ""
    for bad in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form"):
        bad.drop_tree()
    paragraphs = [" ".join(p.text_content().split()) for p in root.xpath("//p|//h1|//h2")]
    return "\n\n".join(p for p in paragraphs if p)


def _safe_date(value: object, source: str) -> date | None:
    try:
        return parse_date(value, source)
    except IngestError:
        return None


def _first(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        if lowered.get(name) not in (None, ""):
            return lowered[name]
    return None


def record_to_article(
    source: str, record: Mapping[str, Any], published: date | None, text_field: str | None, fmt: str
) -> Article:
    """One JSON object or CSV row with a text column."""
    text = record.get(text_field) if text_field else _first(record, TEXT_FIELDS)
    if text is None or not str(text).strip():
        wanted = text_field or " / ".join(TEXT_FIELDS)
        raise IngestError(source, f"no text: the record has no non-empty '{wanted}' field")
    when = parse_date(_first(record, DATE_FIELDS), source) or published
    title = _first(record, TITLE_FIELDS)
    url = _first(record, URL_FIELDS)
    body = str(text)
    outlet = _first(record, OUTLET_FIELDS)
    if "<p" in body.lower() or "</" in body:
        article = html_to_article(source, body, when, str(url) if url else None)
    else:
        article = make_article(
            source,
            body,
            fmt=fmt,
            title=str(title) if title else None,
            published=when,
            url=str(url) if url else None,
        )
    return replace(article, outlet=str(outlet)) if outlet else article


def read_jsonl(path: Path, published: date | None, text_field: str | None) -> Iterator[Item]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            source = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise IngestError(source, "line is JSON but not an object")
                yield record_to_article(source, record, published, text_field, "jsonl")
            except json.JSONDecodeError as err:
                yield Failure(source, f"invalid JSON: {err.msg} at column {err.colno}")
            except IngestError as err:
                yield Failure(err.source, err.reason)


def read_json(path: Path, published: date | None, text_field: str | None) -> Iterator[Item]:
    try:
        payload = json.loads(_read_text(path))
    except json.JSONDecodeError as err:
        yield Failure(str(path), f"invalid JSON: {err.msg} at line {err.lineno}")
        return
    records = payload if isinstance(payload, list) else [payload]
    for index, record in enumerate(records):
        source = f"{path}[{index}]" if isinstance(payload, list) else str(path)
        if not isinstance(record, dict):
            yield Failure(source, "JSON item is not an object with a text field")
            continue
        try:
            yield record_to_article(source, record, published, text_field, "json")
        except IngestError as err:
            yield Failure(err.source, err.reason)


def read_csv(path: Path, published: date | None, text_field: str | None) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        fields = [f.lower() for f in reader.fieldnames or []]
        wanted = [text_field] if text_field else list(TEXT_FIELDS)
        if not any(w and w.lower() in fields for w in wanted):
            yield Failure(
                str(path),
                f"no text column: columns are {reader.fieldnames}; expected one of {wanted}",
            )
            return
        for number, row in enumerate(reader, start=2):
            try:
                yield record_to_article(f"{path}:{number}", row, published, text_field, "csv")
            except IngestError as err:
                yield Failure(err.source, err.reason)


def read_feed(path: Path, published: date | None) -> Iterator[Item]:
    import feedparser

    data = _read_single_file_bytes(path) if path.stat().st_size <= 64 * 1024 * 1024 else b""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = getattr(parsed, "bozo_exception", None)
        yield Failure(str(path), f"not an RSS/Atom feed with entries ({problem or 'no entries'})")
        return
    for index, entry in enumerate(parsed.entries):
        source = f"{path}#{entry.get('id') or entry.get('link') or index}"
        body = ""
        if entry.get("content"):
            body = entry["content"][0].get("value", "")
        body = body or entry.get("summary", "")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else published
        try:
            if "<" in body:
                article = html_to_article(source, body, when, entry.get("link"))
                yield Article(
                    **{**article.__dict__, "title": entry.get("title") or article.title, "fmt": "feed"}
                )
            else:
                yield make_article(
                    source, body, fmt="feed", title=entry.get("title"), published=when, url=entry.get("link")
                )
        except IngestError as err:
            yield Failure(err.source, err.reason)


def read_text_article(path: Path, published: date | None) -> Article:
    """A plain-text file: one article; `published` comes from the caller (the file has none)."""
    return make_article(str(path), _read_text(path), fmt="text", published=published)


def _sniff(path: Path) -> str:
    head = path.open("rb").read(2048).lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed")) or b"<rss" in head or b"<feed" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def read_file(path: Path, published: date | None, text_field: str | None = None) -> Iterator[Item]:
    """Every article in one file, by its suffix (or its first bytes when the suffix is unknown)."""
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise IngestError(str(path), "no such file")
        if path.stat().st_size == 0:
            raise IngestError(str(path), "empty file (0 bytes)")
        kind = KIND_BY_SUFFIX.get(suffix) or _sniff(path)
        if kind == "jsonl":
            yield from read_jsonl(path, published, text_field)
        elif kind == "json":
            yield from read_json(path, published, text_field)
        elif kind == "csv":
            yield from read_csv(path, published, text_field)
        elif kind == "feed":
            yield from read_feed(path, published)
        elif kind == "html":
            yield html_to_article(str(path), _read_text(path), published)
        else:
            yield read_text_article(path, published)
    except IngestError as err:
        yield Failure(err.source, err.reason)
    except OSError as err:
        yield Failure(str(path), f"cannot read: {err.strerror or err}")


NOT_ARTICLES = ("readme", "license", "licence", "notice", "changelog")


def _is_article_file(child: Path, root: Path) -> bool:
    """Files of a folder that are articles: supported suffix, not hidden, not a README."""
    if not child.is_file() or child.suffix.lower() not in SUPPORTED_SUFFIXES:
        return False
    if any(part.startswith(".") for part in child.parts[len(root.parts) :]):
        return False
    return not child.stem.lower().startswith(NOT_ARTICLES)


def read_inputs(
    paths: Iterable[Path], published: date | None = None, text_field: str | None = None
) -> Iterator[Item]:
    """Articles from files and directories (recursively, in name order; hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if _is_article_file(child, path):
                    yield from read_file(child, published, text_field)
        else:
            yield from read_file(path, published, text_field)
