"""The build side: the only readers of the document, making the model (build: the named passes, with
typemap, security, docsview, naming and paging)."""
