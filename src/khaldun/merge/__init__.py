"""Merging: the same event told twice in one article, and by several articles."""

from khaldun.merge.across import MergeSettings, default_settings, rebuild
from khaldun.merge.within import merge_within_article

__all__ = ["MergeSettings", "default_settings", "merge_within_article", "rebuild"]
