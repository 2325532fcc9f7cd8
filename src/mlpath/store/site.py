"""A journal post written into a Jekyll site: the post into _posts/, the card and the map
into assets/mlpath/, the post embedding them.

Every file is checked before any is written, so a refusal (a file there already without
--force, a symbolic link) leaves the site as it was.
"""

from __future__ import annotations

from pathlib import Path

from mlpath.errors import MlpathError
from mlpath.store.fileio import write_output

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

ASSETS = ("assets", "mlpath")
# The pictures, each in the light theme and the dark: what `write` takes and where it puts them.
PICTURES = {
    "card": "progress.svg",
    "card-dark": "progress-dark.svg",
    "map": "map.svg",
    "map-dark": "map-dark.svg",
}


class Image(NamedTuple):
    """A picture the post embeds: its alt text, and its light and dark files' paths from
    the site's root (mlpath's own words and names, nothing from the data)."""

    alt: str
    light: str
    dark: str


def images() -> list[Image]:
    base = "/" + "/".join(ASSETS)
    return [
        Image("My progress", f"{base}/{PICTURES['card']}", f"{base}/{PICTURES['card-dark']}"),
        Image("My flow map", f"{base}/{PICTURES['map']}", f"{base}/{PICTURES['map-dark']}"),
    ]


def _folder(site: Path, parts: tuple[str, ...]) -> Path:
    """site/parts, made if missing; a symbolic link anywhere below the site is refused:
    writing through it would change files outside the site the learner named."""
    folder = site
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            raise MlpathError(f"{folder} is a symbolic link: mlpath writes only inside {site}")
        if folder.exists() and not folder.is_dir():
            raise MlpathError(f"{folder} is not a folder")
    return folder


def write(site: Path, post_name: str, files: dict[str, bytes], force: bool) -> list[Path]:
    """Write `files` (the "post" and each of PICTURES) into `site`; the paths written."""
    if not site.is_dir() or site.is_symlink():
        raise MlpathError(f"{site} is not a folder: name your Jekyll site's folder")
    posts, assets = _folder(site, ("_posts",)), _folder(site, ASSETS)
    targets = {"post": posts / post_name}
    targets |= {what: assets / name for what, name in PICTURES.items()}
    for path in targets.values():
        if path.is_symlink():
            raise MlpathError(f"{path} is a symbolic link: name the file itself")
        if path.exists() and not force:
            raise MlpathError(f"{path} exists already: add --force to replace it")
    posts.mkdir(exist_ok=True)
    assets.mkdir(parents=True, exist_ok=True)
    for what, path in targets.items():
        write_output(path, files[what], replace=force)
    return list(targets.values())
