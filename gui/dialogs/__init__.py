"""Taizhang's dialogs."""
