"""Script-level facts about text that every stage may use: which characters are Han, and Traditional folded into
Simplified. The lowest room of the house: it imports nothing of the tool but its errors."""
