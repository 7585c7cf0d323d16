"""leadscore: warehouse-native lead scoring (dbt project + data generator, loader, CLI)."""

__version__ = "0.1.0"
