"""The release itself: the request, its checks, the plan, the preview and the transaction."""
