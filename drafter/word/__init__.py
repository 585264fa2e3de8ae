"""Read and write Word (.docx) files: clean, tracked and compilation exports, and imports.

Nothing here imports Flask or the models; functions take plain data from ``word.model``.
"""
