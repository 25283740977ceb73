"""The Textual user interface: an app, one screen per file, one widget per file.

The UI talks to the collection only through `flashcards.services` (and `flashcards.stats`), never
through Peewee, so everything it shows could equally be printed by the CLI.
"""
