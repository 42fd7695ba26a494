"""formcheck's version, defined once (the package, analysis.json and the report print it)."""

__version__ = "0.1.0"

# What annotated.mp4 looks like for the same analysis: raised whenever formcheck/render changes the text, colours or
# layout it draws, so that a re-analysis draws again a video drawn by an earlier formcheck (formcheck/video_drawing.py).
# 2: landings read "type unclear", the panel stands clear of the player's controls.
DRAWING_VERSION = 2
