"""Bulletins (通报): the data a bulletin shows, and its Word, Excel and chart renderings.

`data.bulletin_data` builds the JSON-able dict from stored scores; `docx`, `xlsx` and `charts`
render from that dict alone; `selectors` reads bulletins scoped by the user's units. Writes
(generate, build) live in `mediamatrix.indices.services.bulletins`.
"""
