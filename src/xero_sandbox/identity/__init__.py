"""OAuth 2.0 identity: consent, tokens, connections."""
