"""Tests of opsctl.services.kpi (test_kpi: templates to results through the services)."""
