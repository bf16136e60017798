"""Store and export stage: the per-folder SQLite store and the static gallery site.

The store: `store` (the database of one render folder), `schema` (its layout, version and upgrades), `record` (an
entry as the faces read it), `lock` (one writer at a time). The export: `site` (the pages, from `templates/`
through `pages`; the portrait of the weeks is `visualizer.portrait`'s), `pictures` (the site's copies of the
images), `plots` (timeline and contact sheets), `place` (putting a finished site in place).
"""

from visualizer.gallery.site import export_site
from visualizer.gallery.store import Store

__all__ = ["Store", "export_site"]
