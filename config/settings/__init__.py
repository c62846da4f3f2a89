"""Settings: `base` reads the environment; `test` and `production` hold only their differences."""
