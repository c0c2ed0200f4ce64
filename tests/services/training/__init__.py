"""Tests of opsctl.services.training (test_training: the area's rules end to end)."""
