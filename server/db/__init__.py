"""Persistence: SQLAlchemy 2.x models, engine set-up, repository functions, migrations."""
