"""The release, in the lowest layer: the run cache keys its entries by it, the entry
points print it."""

__version__ = "0.1.0"
