"""The private journal: everything the person shares, kept on this device only."""
