"""The command line: `factcheck init, check, build, serve, new, schema`."""
