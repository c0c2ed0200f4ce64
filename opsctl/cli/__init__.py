"""The typer apps, one module per area; main.py wires them and maps errors.

CLI modules import only typer and the standard library at module level: models,
services and openpyxl are imported inside the commands that need them.
"""
