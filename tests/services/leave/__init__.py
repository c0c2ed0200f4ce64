"""Tests of opsctl.services.leave, one module per service module."""
