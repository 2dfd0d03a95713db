"""ictdash ETL: Vietnamese ICT reports -> observations with evidence -> DuckDB warehouse."""

# Bump when extraction logic changes: the warehouse re-extracts every document whose stored
# extractor version differs (together with the catalog's content hash).
EXTRACTOR_VERSION = "0.1.0"
