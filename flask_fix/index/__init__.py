"""The project index, built with the stdlib `ast` from every candidate file once: each
module's facts, the linked ProjectIndex, routing, Flask pins, triage, the compact copy."""
