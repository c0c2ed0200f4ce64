"""Tests of opsctl.services.tasks (test_core: adding, steps, urgency, the plan)."""
