"""Taizhang's store: schema, numbered migrations, the one place that opens
SQLite connections, and the repository (all SQL). Never imports Qt."""
