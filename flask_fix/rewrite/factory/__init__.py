"""FLK201's plan (the app factory) and what it needs: support facts, endpoint renames,
deployment files, `flask` commands, the project's example files."""
