"""Measuring newsgraph against public annotated sets.

Each module reads one set's gold format and scores records against it, for example
:mod:`newsgraph.evaluation.polnear` (attribution relations: source, cue, content) and
:mod:`newsgraph.evaluation.timeml` (temporal expressions).

The sets themselves are not part of the project; every loader takes a directory and raises
:class:`newsgraph.errors.EvalError` when it is missing or malformed.
"""
