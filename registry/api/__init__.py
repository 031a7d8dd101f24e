"""HTTP layer: one Controller per resource, msgspec Structs in and out."""
