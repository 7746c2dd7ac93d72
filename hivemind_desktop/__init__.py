"""HiveMind Desktop: lend this computer to the HiveMind network."""

__version__ = "0.1.0"
APP_NAME = "HiveMind Desktop"
