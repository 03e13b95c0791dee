"""bump's commands, one module each (the release commands share one); cli loads the one named."""
