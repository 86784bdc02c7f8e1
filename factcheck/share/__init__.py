"""Sharing: card images, embed pages and oEmbed documents."""
