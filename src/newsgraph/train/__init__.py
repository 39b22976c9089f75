"""Training scripts that rebuild the models shipped in newsgraph/data."""
