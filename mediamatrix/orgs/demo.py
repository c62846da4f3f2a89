DEMO_PASSWORD = "demo-2026"


def demo_logins() -> list[tuple[str, str]]:
    return []
