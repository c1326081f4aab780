"""Reuse: what ``--watch`` and the caches keep from run to run."""
