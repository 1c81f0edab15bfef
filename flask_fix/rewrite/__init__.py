"""What the rules share: the rule base, name resolution, tree walks, imports, module layout,
`try` handlers, Flask config, legacy APIs and databases, contexts, extensions."""
