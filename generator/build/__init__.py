"""The build side: the only readers of the spec, making the model (builder, with typemap, security, docsview,
naming and paging)."""
