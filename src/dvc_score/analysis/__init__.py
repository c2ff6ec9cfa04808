"""Analyses beyond the score: why a unit lost points (explain) and the quarterly figures (stats).

Analyses read the normalized dataset through the engine's row queries, so every
derived column (``finished_in_period``, ``effective_due``, ``on_time`` …) means
exactly what it means when scoring. Their results are plain data that the
reporters and the CLI render.
"""
