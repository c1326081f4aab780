"""The command line (main), its configuration (config) and corpus runs (corpus)."""
