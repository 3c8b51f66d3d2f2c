"""Subcommands: each module registers its arguments and calls the library with keyword arguments."""
