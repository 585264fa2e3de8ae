"""Full-text search across a negotiation: its revisions' paragraphs, proposals, justifications, decisions."""
