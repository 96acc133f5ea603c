"""Mediateka: the media library of a migration organisation's country mission."""
