"""Writes of the projects app, one module per area (charter, tasks, tracking, reports,
comms, changes, delivery, close). Import the module you need."""
