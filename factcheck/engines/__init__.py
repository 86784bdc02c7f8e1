"""Engine adapters: each one runs pipeline.build inside a site engine (docs/engine-contract.md)."""
