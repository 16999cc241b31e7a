"""Store: the embedded DuckDB database."""

from khaldun.store.duck import Store, StoreError

__all__ = ["Store", "StoreError"]
