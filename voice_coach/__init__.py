"""Voice Coach: an offline, hands-free companion for SMART Recovery self-help tools."""

__version__ = "0.1.0"
