"""Leaf utilities shared by every layer of lzt: errors, progress feedback, CRS.

Nothing here imports other lzt packages, Qt, or the workspace.
"""
