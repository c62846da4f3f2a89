"""The built-in checks; each module registers its checks when imported here."""
