//! Unit tests of the whole Compose reading: files to configuration text and errors.
