"""The ``newsgraph`` command line: a thin layer over sources, the pipeline, the store and the exports.

Every library error (:class:`~newsgraph.errors.NewsgraphError`) becomes one ``Error:`` line on stderr and a
non-zero exit code; users never see a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil

from newsgraph.cli.common import main, sample_dir

# Every module of this package registers its commands on ``main`` when imported.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "common":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["main", "sample_dir"]
