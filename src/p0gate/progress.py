"""A progress bar for large artifacts, shown on stderr while they are read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from p0gate.evidence.bundle import ProgressHook

LARGE = 32 * 1024 * 1024


@contextmanager
def progress_hook(console: Console) -> Iterator[ProgressHook]:
    """Yield a hook that draws a bar for artifacts over ``LARGE`` bytes."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    bars = Progress(TextColumn("reading {task.description}"), BarColumn(), DownloadColumn(),
                    console=console, transient=True)
    tasks: dict[str, int] = {}

    def hook(artifact: str, done: int, total: int) -> None:
        if total < LARGE:
            return
        if artifact not in tasks:
            tasks[artifact] = bars.add_task(artifact, total=total)
        bars.update(tasks[artifact], completed=done)  # type: ignore[arg-type]

    with bars:
        yield hook
