"""Helpers shared by test modules: the LibreOffice oracle, XML-level checks, sample drafts."""
