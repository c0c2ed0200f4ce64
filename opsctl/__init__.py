"""opsctl: a small team's day-to-day operations from one command line."""

__version__ = "0.1.0"
