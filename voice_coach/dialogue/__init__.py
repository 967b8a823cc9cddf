"""The conversation: pure logic driven by events, shared by text mode, audio mode and tests."""
