"""Tools that write configuration for a new variant or turn a fork into a new project."""
