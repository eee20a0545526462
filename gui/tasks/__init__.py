"""The task table: its data, its view, the filters, the search and the task commands."""
