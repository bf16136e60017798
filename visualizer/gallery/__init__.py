"""Store and export stage: the per-folder SQLite store and the static gallery site."""

from visualizer.gallery.site import export_site
from visualizer.gallery.store import Store

__all__ = ["Store", "export_site"]
