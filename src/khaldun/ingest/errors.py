"""The one error type of ingest: it names the input and says why it was refused."""


class IngestError(Exception):
    """An input that cannot become an article. `source` names the file (and line or row)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
