"""BIM importers (IFC, glTF, OBJ): files -> plain values. Never a workspace, never Qt."""
