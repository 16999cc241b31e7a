"""Exports of merged events in the formats analysts load: PLOVER JSONL, ACLED-style CSV,
CAMEO/GDELT-like TSV, GeoJSON and Parquet (`khaldun export`)."""

from khaldun.export.formats import FORMATS, ExportError, export

__all__ = ["FORMATS", "ExportError", "export"]
