"""Tests of opsctl.services.meetings, one module per service module."""
