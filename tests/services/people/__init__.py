"""Tests of opsctl.services.people."""
