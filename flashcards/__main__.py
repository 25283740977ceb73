"""Lets `python -m flashcards` behave exactly like the `flashcards` script."""

from flashcards.cli import main

raise SystemExit(main())
