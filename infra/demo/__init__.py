"""Demo data: per region an organization whose persons have a year of history in all four tabs."""

from infra.demo.seeding import DEMO_PASSWORD, DemoLogin, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoLogin", "seed_demo"]
