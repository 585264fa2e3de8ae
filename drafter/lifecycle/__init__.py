"""Circulation, deadlines, silence procedures, adoption: the life of a revision after drafting."""
