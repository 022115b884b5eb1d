"""Clinician preview: run the scripted dialogues against the real bot and render a printable site.

Clinicians approve what the bot says before a clinic goes live, so the preview shows the bot's actual
words (from the live model, actions and content), where each message comes from, which recommendation
it cites, and every place where the bot did not say what the script expected.
"""
