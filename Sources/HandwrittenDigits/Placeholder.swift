// HandwrittenDigits
