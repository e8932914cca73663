"""Claims services: loading manifests, matching them against members' credits, decisions."""
