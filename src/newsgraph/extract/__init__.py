"""Extraction stages: plain functions over a parsed spaCy Doc that return schema records."""
