"""Tests of opsctl.services.projects, one module per service module."""
