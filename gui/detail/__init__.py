"""The selected task in full: the panel and its timeline."""
