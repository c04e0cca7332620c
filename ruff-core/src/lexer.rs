//! Lexer: UTF-8 source text to tokens with positions (stub; being written).
