"""Taizhang's Qt widgets. Calls core services; never writes SQL."""
