"""The room: readings of a revision paragraph by paragraph, followed live on every screen."""
