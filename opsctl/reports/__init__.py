"""Shapes of what commands show (Tabular, Record) and the renderers for every format."""
