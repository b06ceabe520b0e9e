"""The progress bar: drawn for large artifacts only."""

import io

from rich.console import Console

from p0gate.progress import LARGE, progress_hook


def test_only_large_artifacts_get_a_bar() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with progress_hook(console) as hook:
        hook("small", 10, LARGE - 1)
        hook("big", LARGE // 2, LARGE)
        hook("big", LARGE, LARGE)
    shown = screen.getvalue()
    assert "reading big" in shown and "small" not in shown
