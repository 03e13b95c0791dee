"""git and the remote: the repository, its refs and lock, the tag prefix, the push, forge links."""
