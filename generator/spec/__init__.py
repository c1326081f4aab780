"""The spec side: reading a document (loader, yamlload, bundle, limits), the raw-document helpers (openapi,
and extensions: every extension read) and validation (validate, quickcheck, ecma)."""
