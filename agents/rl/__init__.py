"""Research adapters: a PettingZoo environment over the Precipice model (``agents.rl.env``)."""
