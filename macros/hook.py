"""MkDocs hook: adds the generated pages (stubs of ids) to the build.

mkdocs-macros cannot create pages, so this hook appends one
``File.generated`` per record, year and index page at ``on_files``; their
Markdown comes from the ``wiki_page`` macro registered in ``define_env``.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from macros import INDEX_VARIABLE
from macros.index import Index
from macros.pages import plan


def wiki_index(config: Any) -> Index:
    plugin = config.plugins.get("macros")
    index = plugin.variables.get(INDEX_VARIABLE) if plugin is not None else None
    if not isinstance(index, Index):
        raise PluginError("the wiki hook needs the 'macros' plugin with module_name: macros in mkdocs.yml")
    return index


@event_priority(100)
def on_files(files: Files, config: Any) -> Files:
    index = wiki_index(config)
    clashes = []
    for spec in plan(index):
        if files.get_file_from_path(spec.uri) is not None:
            clashes.append(spec.uri)
            continue
        inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, spec.uri, content=spec.stub(), inclusion=inclusion))
    if clashes:
        raise PluginError(
            "these files in docs/ would hide generated pages; remove them: " + ", ".join(sorted(clashes))
        )
    return files
