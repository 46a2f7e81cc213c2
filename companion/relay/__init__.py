"""The Companion relay server: one per PBX, holding its credential (docs/relay.md)."""
