"""The version, written here only: pyproject.toml reads it, and so do the reports."""

__version__ = "0.1.0"
