# The first matcher works straight on the helper, skill and score tables; it has no tables.
