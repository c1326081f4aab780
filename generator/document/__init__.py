"""The spec side: reading a document (loader, yamlload, bundle, limits), the raw-document helpers (openapi;
extensions: every extension read; view: the operations as frozen views) and validation (validate,
quickcheck, ecma)."""
