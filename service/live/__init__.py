"""The live room's rules: who may enter and what each action does, independent of the transport."""
