"""Pure: a revision as Akoma Ntoso 3.0 XML following AKN4UN (no Flask, no database)."""
