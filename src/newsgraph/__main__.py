"""``python -m newsgraph`` runs the command line."""

from newsgraph.cli import main

# Guarded: the server's worker process (multiprocessing spawn) imports this module again, and must not
# run the command line a second time.
if __name__ == "__main__":
    main()
