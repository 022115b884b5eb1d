"""Danish reassurance chatbot for new neck pain and lumbar nerve-root pain (NKR guidelines)."""
