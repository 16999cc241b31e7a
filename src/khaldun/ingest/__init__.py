"""Ingest: turn files of many formats into clean `Article` records or clear `Failure`s."""

from khaldun.ingest.errors import IngestError
from khaldun.ingest.readers import SUPPORTED_SUFFIXES, read_inputs, read_text_article

__all__ = ["SUPPORTED_SUFFIXES", "IngestError", "read_inputs", "read_text_article"]
