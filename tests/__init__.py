"""Tests for Precipice."""
