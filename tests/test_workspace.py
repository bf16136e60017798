"""The UI's private-file guard reads the path the router matches, mount point removed, as Starlette does."""

from __future__ import annotations

import pytest

from visualizer.ui.workspace import route_path


@pytest.mark.parametrize("path, root, expected", [
    ("/gradio_api/file=/tmp/x", "", "/gradio_api/file=/tmp/x"),
    ("/app/gradio_api/file=/tmp/x", "/app", "/gradio_api/file=/tmp/x"),
    ("/app", "/app", ""),
    ("/apple/file=/tmp/x", "/app", "/apple/file=/tmp/x"),  # a longer name that starts like the mount point
    ("/file=/tmp/x", "/app", "/file=/tmp/x"),
])
def test_route_path_strips_the_mount_point_only(path, root, expected):
    assert route_path({"type": "http", "path": path, "root_path": root}) == expected
