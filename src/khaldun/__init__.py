"""khaldun: reads conflict reporting and rebuilds the conflict it describes as checkable data."""

__version__ = "0.1.0"
