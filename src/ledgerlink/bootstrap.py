"""The one place that builds engines, clients and workers from `Settings`."""
