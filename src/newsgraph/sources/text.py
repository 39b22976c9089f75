"""Plain-text articles: the file's text, unchanged, so that offsets annotated on the file line up."""

from __future__ import annotations

from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.schema import Article
from newsgraph.sources.files import article_stem, check_not_binary, decode_text
from newsgraph.sources.language import detect_language


def read_text(path: Path, data: bytes, published: str | None = None) -> Article:
    """Make an Article of a plain-text file.

    :attr:`Article.text` is the decoded file exactly: line endings are kept as they are (``\\r\\n``
    stays ``\\r\\n``, as Python reads with ``newline=""``) and nothing is stripped, except a UTF-8
    byte-order mark, which is not text: offsets count from the character after it.

    Args:
        path: The file, for the id and the error messages.
        data: The file's bytes.
        published: Reference date for relative times; text files carry none of their own.

    Returns:
        The article, with ``id`` the file stem, ``language`` the language detected in the text and
        ``metadata["source"]`` the path. When the file is not UTF-8 but clean cp1252,
        ``metadata["encoding"]`` says so.

    Raises:
        InputError: The file is binary, not decodable, or holds no text (only blanks or a byte-order mark).
    """
    source = str(path)
    check_not_binary(source, data)
    text, encoding = decode_text(source, data)
    if not text.strip():
        raise InputError(source, "has no text (only blanks or a byte-order mark)")
    metadata: dict[str, object] = {"source": source}
    if encoding != "utf-8":
        metadata["encoding"] = encoding
    return Article(
        text=text,
        id=article_stem(path),
        published=published,
        language=detect_language(text),
        metadata=metadata,
    )
