"""``newsgraph serve``: the HTTP API and web pages over a store."""

from __future__ import annotations

import contextlib
import os

import click

from newsgraph.cli.common import db_option, err, main


@main.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every one)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--api-key",
    default=lambda: os.environ.get("NEWSGRAPH_API_KEY"),
    show_default="$NEWSGRAPH_API_KEY",
    help="Accept POST /api/v1/articles from requests carrying this key in X-API-Key (no writes without it).",
)
@click.option(
    "--poll",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.5, 3600),
    help="Seconds between a page's checks for new articles.",
)
def serve(db: str, host: str, port: int, api_key: str | None, poll: float) -> None:
    """Serve the store: a JSON API under /api/v1 and web pages to browse it.

    Pages: / (latest articles, most-quoted speakers, events, stories), /search, /articles/ID (the text with
    every quote, speaker, place and date marked), /entities/TYPE:Name, /events and /places (a map). The API
    is described at /openapi.json. Everything is served locally; the pages need no internet.

    \b
    Examples:
      newsgraph serve --db sample.db
      curl 'http://127.0.0.1:8000/api/v1/quotes?speaker=Ribeiro'
      newsgraph serve --db news.db --port 8080 --api-key "$(cat key.txt)"
    """
    import uvicorn

    from newsgraph.serve import create_app, server_config

    app = create_app(db, api_key=api_key, poll_seconds=poll)
    err.print(f"serving {db} on http://{host}:{port}/ (Ctrl-C stops)", highlight=False)
    # uvicorn shuts down on Ctrl-C, then raises it again for the default handler; it is no error.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(server_config(app, host, port)).run()
    err.print("stopped", highlight=False)
