"""Remote sources: saved services, HTTP, and the readers of OGC API Features and WFS 2.0."""
