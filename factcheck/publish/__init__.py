"""Publishing: everything written beside the pages (metadata, feeds, exports, filter data, search) and the swap into place."""
