"""The worker core: no Qt import anywhere below this package."""
