"""Everything Qt: the composition root, the window and its widgets, the Qt scheduler and
the audio player. The only package that imports PySide6."""
