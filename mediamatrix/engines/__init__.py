"""Pure-Python engines; import nothing from Django or the apps."""
