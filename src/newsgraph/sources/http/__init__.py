"""The parts :class:`~newsgraph.sources.fetch.Fetcher` is made of: the address policy, robots.txt,
the per-host rate limit, and the response and error types."""
