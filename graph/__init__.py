"""policygraph's core: the schema as data, settings, text normalisation and the store layer."""
