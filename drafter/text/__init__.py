"""Pure text functions: tokenizing, word diffs, numbering, alignment, structure.

Nothing here imports Flask or the models; everything takes and returns plain data.
"""
