"""Partner programs: their services, regions, training, and helpers qualifying for them."""
