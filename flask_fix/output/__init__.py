"""What a run shows: text and JSON, SARIF, GitHub, rdjson, diffs, positions, the
interactive review."""
