"""Tests of opsctl.reports.attendance."""
