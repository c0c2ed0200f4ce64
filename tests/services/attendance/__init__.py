"""Tests of opsctl.services.attendance, one module per service module."""
