"""Routines: the file format as pydantic models, and finding, loading and validating files."""
