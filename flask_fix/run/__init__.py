"""A whole run: which files, the scan and fix phases in worker pools, project transforms,
the per-file engine, the cache, parsing, suppression comments."""
