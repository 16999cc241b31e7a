"""Ingest: every format in, clean articles out; bad inputs give a clear reason and never stop
the batch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from khaldun.cli import app
from khaldun.ingest import read_inputs, read_text_article
from khaldun.ingest.clean import strip_chrome
from khaldun.model import Article, Failure
from khaldun.store import Store

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()
GOOD_TEXT = (
    "Syrian government forces shelled the town of Ariha in Idlib province on Monday, "
    "a war monitor said, and rebels fired rockets at army positions near Saraqib."
)


def _items(*paths: Path, published: date | None = None) -> list[Article | Failure]:
    return list(read_inputs(list(paths), published))


def test_plain_text_drops_site_chrome_and_keeps_paragraphs() -> None:
    article = read_text_article(FIXTURES / "aleppo-clashes.txt", date(2020, 2, 26))
    assert article.title == "Clashes near Aleppo as Turkish-backed rebels push south"
    assert "Back to top" not in article.text and "Share this article" not in article.text
    assert article.text.count("\n\n") == 3
    assert article.published == date(2020, 2, 26)
    assert article.id == Article.make_id(article.text)


def test_chrome_lines_are_data_not_code() -> None:
    assert strip_chrome("skip to Main Content\n\nNews line.\n\nBack To Top") == "News line."


def test_html_page_main_text_title_and_date() -> None:
    [article] = _items(SAMPLES / "idlib-ceasefire.html")
    assert isinstance(article, Article)
    assert article.published == date(2020, 3, 6)
    assert article.title == "Russia and Turkey agree Idlib ceasefire after talks in Moscow"
    assert "joint patrols" in article.text
    for chrome in ("Skip to main content", "Back to top", "Most read", "All rights reserved", "Home |"):
        assert chrome not in article.text
    assert article.fmt == "html"


def test_jsonl_records_with_their_own_dates() -> None:
    items = _items(SAMPLES / "articles.jsonl")
    assert [type(i) for i in items] == [Article, Article, Article]
    assert [i.published for i in items if isinstance(i, Article)] == [
        date(2020, 2, 28),
        date(2020, 3, 3),
        date(2020, 10, 16),
    ]


def test_rss_feed_entries() -> None:
    [article] = _items(SAMPLES / "libya.rss")
    assert isinstance(article, Article)
    assert article.published == date(2020, 10, 23)
    assert article.title == "Libya's rival forces sign permanent ceasefire in Geneva"
    assert article.text.startswith("Delegations of the Government of National Accord")
    assert article.url == "https://example.org/samples/libya-ceasefire"


def test_csv_with_text_column(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text('title,date,text\n"Shelling",2020-05-01,"' + GOOD_TEXT + '"\n,,\n', encoding="utf-8")
    items = _items(path)
    assert isinstance(items[0], Article) and items[0].published == date(2020, 5, 1)
    assert isinstance(items[1], Failure) and items[1].source.endswith("reports.csv:3")
    assert "no text" in items[1].reason


def test_csv_without_text_column_says_which_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    [failure] = _items(path)
    assert (
        isinstance(failure, Failure) and "no text column" in failure.reason and "['a', 'b']" in failure.reason
    )


def test_jsonl_bad_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": GOOD_TEXT}) + "\n{broken\n" + json.dumps({"body": GOOD_TEXT + " Again."}) + "\n"
    )
    items = _items(path, published=date(2020, 5, 2))
    assert [type(i) for i in items] == [Article, Failure, Article]
    failure = items[1]
    assert isinstance(failure, Failure) and failure.source.endswith("mixed.jsonl:2")
    assert "invalid JSON" in failure.reason


def test_published_option_fills_missing_dates(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GOOD_TEXT)
    [article] = _items(path, published=date(2021, 1, 2))
    assert isinstance(article, Article) and article.published == date(2021, 1, 2)


# --- bad inputs -------------------------------------------------------------------------------


def _single_failure(path: Path) -> Failure:
    [item] = _items(path, published=date(2020, 5, 4))
    assert isinstance(item, Failure), item
    assert str(path) in item.source
    return item


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _single_failure(path).reason == "empty file (0 bytes)"


def test_only_chrome_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("Skip to main content\n\nBack to top\n")
    assert "empty: no article text" in _single_failure(path).reason


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary file" in _single_failure(path).reason


def test_broken_html_still_yields_its_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text(
        "<html><body><div><p>" + GOOD_TEXT + "<p>Rebels said they repelled the assault.<div></body"
    )
    [item] = _items(path, published=date(2020, 5, 4))
    assert isinstance(item, Article)
    assert "shelled the town of Ariha" in item.text


def test_html_without_prose(tmp_path: Path) -> None:
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>")
    assert "no article text" in _single_failure(path).reason


def test_twenty_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = (GOOD_TEXT + "\n").encode()
    path.write_bytes(line * (20 * 1024 * 1024 // len(line) + 1))
    reason = _single_failure(path).reason
    assert reason.startswith("file is 21.0 MB; one article may be at most 5.2 MB")


def test_non_english_article() -> None:
    failure = _single_failure(FIXTURES / "french.txt")
    assert failure.reason.startswith("not English: language detected as 'fr'")


def test_missing_file(tmp_path: Path) -> None:
    assert _single_failure(tmp_path / "nope.txt").reason == "no such file"


def test_batch_with_bad_inputs_stores_the_good_articles(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-good.txt").write_text(GOOD_TEXT)
    (batch / "b-empty.txt").write_bytes(b"")
    (batch / "c-binary.txt").write_bytes(b"\x00\x01\x02" * 1000)
    (batch / "d-french.txt").write_text((FIXTURES / "french.txt").read_text())
    (batch / "e-good.html").write_text(
        "<html><body><article><p>" + GOOD_TEXT.replace("Monday", "Tuesday") + "</p></article></body></html>"
    )
    (batch / "f-huge.txt").write_bytes(b"x" * (6 * 1024 * 1024))
    db = tmp_path / "batch.duckdb"
    result = runner.invoke(app, ["code", str(batch), "--published", "2020-05-04", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "coded 2 article(s)" in result.output and "4 failed" in result.output
    assert "b-empty.txt: empty file (0 bytes)" in result.output
    assert "c-binary.txt: binary file" in result.output
    assert "d-french.txt: not English" in result.output
    assert "f-huge.txt: file is 6.3 MB" in result.output
    with Store(db, read_only=True) as store:
        counts = store.counts()
        assert counts["articles"] == 2
        assert counts["failures"] == 4
        assert counts["events"] >= 2
    # a later batch never loses what is stored
    more = runner.invoke(app, ["code", str(SAMPLES / "libya.rss"), "--db", str(db)])
    assert more.exit_code == 0
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 3


def test_atom_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Sample</title><id>urn:sample</id><updated>2020-05-04T10:00:00Z</updated>"
        "<entry><title>Shelling near Ariha</title><id>urn:sample:1</id>"
        '<link href="https://example.org/samples/ariha"/><updated>2020-05-04T09:00:00Z</updated>'
        f'<content type="html">&lt;p&gt;{GOOD_TEXT}&lt;/p&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    [article] = _items(path)
    assert isinstance(article, Article)
    assert article.title == "Shelling near Ariha" and article.published == date(2020, 5, 4)
    assert article.text.startswith("Syrian government forces shelled the town of Ariha")
