"""Writes of the projects app, one module per area (part A: charter, tasks, tracking,
reports; part B: comms, changes, delivery, close). Import the module you need."""
