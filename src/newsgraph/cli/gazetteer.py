"""``gazetteer``: build and query the offline GeoNames index."""

from __future__ import annotations

import click

from newsgraph.cli.common import err, main, out


@main.group(name="gazetteer")
def gazetteer_group() -> None:
    """The offline GeoNames gazetteer used to resolve places (built once into the user cache)."""


@gazetteer_group.command(name="build")
@click.option("--path", type=click.Path(dir_okay=False), help="Where to write it (default: the user cache).")
def gazetteer_build(path: str | None) -> None:
    """Build (or rebuild) the gazetteer from the GeoNames data in the installed packages.

    The file goes to $NEWSGRAPH_CACHE, else ~/.cache/newsgraph, unless --path says otherwise. It is built
    automatically on first use; this command does it ahead of time (set-up scripts, Docker images).

    \b
    Examples:
      newsgraph gazetteer build
      NEWSGRAPH_CACHE=/opt/newsgraph newsgraph gazetteer build
    """
    from newsgraph.cli.common import progress_bar
    from newsgraph.geo.gazetteer import build

    with progress_bar("building the gazetteer") as progress:
        task = progress.add_task("build", total=6)
        stats = build(path, lambda label, done, total: progress.update(task, completed=done, total=total))
    out.print(
        f"{stats.path}: {stats.places:,} places, {stats.names:,} names in {stats.seconds:.1f} s",
        highlight=False,
    )


@gazetteer_group.command(name="lookup")
@click.argument("names", nargs=-1, required=True)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1), help="Candidates per name.")
def gazetteer_lookup(names: tuple[str, ...], limit: int) -> None:
    """Show the gazetteer entries a name can refer to, most populous first.

    \b
    Examples:
      newsgraph gazetteer lookup Paris "Springfield" "W.Va."
    """
    from rich.table import Table

    from newsgraph.geo.gazetteer import Gazetteer
    from newsgraph.geo.resolve import candidates_for

    gaz = Gazetteer.default()
    for name in names:
        found = sorted(candidates_for(name, gaz), key=lambda c: -c.population)
        if not found:
            err.print(f"{name}: not in the gazetteer", highlight=False)
            continue
        table = Table(
            "geonameid", "name", "feature", "country", "admin1", "lat", "lon", "population", title=name
        )
        for c in found[:limit]:
            region = c if c.feature == "ADM1" else gaz.admin1(c.country, c.admin1)
            table.add_row(
                str(c.geonameid),
                c.name,
                c.feature,
                c.country or "",
                region.name if region else "",
                f"{c.lat:.4f}",
                f"{c.lon:.4f}",
                f"{c.population:,}",
            )
        out.print(table)
