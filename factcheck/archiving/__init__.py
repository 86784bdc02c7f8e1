"""Sources that outlive their links: archive every cited page (`archive`) and watch for link rot (`links`).

`cited` finds every cited address with its file and line; `yamledit` adds one line to a
contributor's file and changes no other byte; `spn` is a client of the Internet Archive's Save
Page Now 2 API; `archive` and `links` are the two commands' work. Nothing here imports MkDocs.
"""
