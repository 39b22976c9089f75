"""``python -m newsgraph.spark INPUT… --out DIR``: the Spark job, as ``spark-submit`` runs it.

``spark-submit`` takes this file as its application (``newsgraph spark --help`` shows how); the
options are those of ``newsgraph spark``.
"""

from newsgraph.cli import main
from newsgraph.cli.spark import spark_command

if __name__ == "__main__":
    assert main is not None  # the command group registers every command's module
    spark_command(prog_name="python -m newsgraph.spark")
