"""What a layer is and how it is read from files.

Files -> plain values (GeoDataFrames, dataclasses). Never a workspace, never Qt.
"""
