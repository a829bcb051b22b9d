"""Analyses over workspace layers (Qt-free)."""
