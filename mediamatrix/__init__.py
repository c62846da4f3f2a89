"""mediamatrix: a platform for an office that runs a new-media matrix."""

__version__ = "0.1.0"
