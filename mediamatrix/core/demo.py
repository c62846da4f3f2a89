"""Steps that complete the demo city after its registry and posts exist.

Apps higher up (indices, review …) register a step; `generate-demo` runs them in order, so the
demo opens with rankings and bulletins already there without the lower apps knowing the higher.
"""

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str, int, int], None]
Step = Callable[[Progress], str]  # returns one line for the summary


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Step


_steps: dict[str, DemoStep] = {}


def demo_step(order: int, name: str) -> Callable[[Step], Step]:
    def decorator(run: Step) -> Step:
        _steps[name] = DemoStep(order, name, run)
        return run

    return decorator


def run_demo_steps(progress: Progress) -> list[str]:
    return [step.run(progress) for step in sorted(_steps.values(), key=lambda s: s.order)]
