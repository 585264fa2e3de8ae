"""The versioned JSON API (``/api/v1``): what the pages show, and the delegates' writes, for programs."""
