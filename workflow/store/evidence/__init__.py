"""Evidence beyond the requests' histories: the ledger of facts and the signed checkpoints."""
