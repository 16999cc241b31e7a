"""Merging: one record per real-world event (within an article for now; across in issue 6)."""

from khaldun.merge.within import merge_within_article

__all__ = ["merge_within_article"]
