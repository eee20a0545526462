"""The selected task in full: the panel and its timeline."""

# What a timeline item is (the first part of its UserRole data): here, so the
# panel reads them without importing the timeline's widgets (gui/detail/content.py).
KIND_ACTION = "action"
KIND_FILE = "file"
KIND_LOOSE = "loose"
