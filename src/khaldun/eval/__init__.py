"""Scorers against gold data written by others; each ends with one `eval NAME: k=v …` line."""
