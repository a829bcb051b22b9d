"""Data files shipped with lzt: demo recipes, icons, styles, translations, fonts."""
