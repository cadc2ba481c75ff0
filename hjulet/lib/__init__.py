"""Pure helpers with no Django import: tested without a database."""
