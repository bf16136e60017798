"""Art direction as data: loads and checks the TOML files in the top-level `prompts/` folder.

The folder can be swapped with the `VISUALIZER_PROMPTS` environment variable, so a user can restyle
every picture without touching code. Files are read and checked once per process (they are small and
immutable) against their models in `visualizer.mapping.schema`: a missing key, an ill-typed number, a scene family
that scenes.toml does not define (named by emotions.toml or safety.toml), an imagery shape that [shapes] does not
declare, or a knob mapping.toml should not hold is a UserError naming the file and the key. pydantic loads with the
first file read, not with this module, so importing the mapping stays cheap.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from visualizer.errors import UserError


def prompts_dir() -> Path:
    """`$VISUALIZER_PROMPTS` if set, else the art-direction folder shipped inside the package.

    pyproject.toml maps the top-level `prompts/` folder, where people edit it, to `visualizer/prompts` in the
    wheel, so an installed copy needs no checkout. A checkout (the editable install) has no such folder inside
    the package and reads the top-level `prompts/` itself.
    """
    override = os.environ.get("VISUALIZER_PROMPTS")
    if override:
        return Path(override)
    package = Path(str(resources.files("visualizer")))
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


@lru_cache(maxsize=None)
def _load(directory: str, name: str) -> dict:
    """Read and check one file; cached per folder (a failed check is not cached, so it is raised every time)."""
    path = Path(directory) / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise UserError(f"{path}: art-direction file missing (set VISUALIZER_PROMPTS to a complete prompts folder)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    _check(name, data, path)
    return data


def load(name: str) -> dict:
    """One of emotions, styles, palettes, compositions, negative, imagery, safety, scenes, mapping — checked on
    first use, including the scene families that emotions.toml and safety.toml name."""
    return _load(str(prompts_dir()), name)


def _scene_names(path: Path) -> set[str]:
    """The scene families of the scenes.toml beside `path`."""
    return set(_load(str(path.parent), "scenes"))


def _check(name: str, data: dict, path: Path) -> None:
    """A UserError naming the file and the first key that does not fit the file's model (painter.toml and plain.toml
    have none: see `visualizer.mapping.schema`)."""
    from pydantic import ValidationError

    from visualizer.mapping.schema import FILES, SCENE_FAMILIES
    from visualizer.mapping.schema_errors import describe

    model = FILES.get(name)
    if model is None:
        return
    try:
        model.model_validate(data, context={SCENE_FAMILIES: lambda: _scene_names(path)})
    except ValidationError as error:
        raise UserError(f"{path}: {describe(error.errors()[0])}") from None
