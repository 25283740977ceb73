"""Widgets of the app, one per file, named for what they are on screen."""
