"""Loaders: read YAML, CSV and JSON (and extracted notices), validate all, then write in batches."""
