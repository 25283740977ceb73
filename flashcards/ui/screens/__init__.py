"""Screens of the app, one per file: home, review, nothing due, summary, and the dialogs."""
