"""Output: writing a run's files safely (writer), the manifest kept beside them (manifest) and the public API
it records (surface)."""
