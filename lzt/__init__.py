"""龙政图 lzt — the Longgang spatial-information desktop client."""

__version__ = "0.1.0"
